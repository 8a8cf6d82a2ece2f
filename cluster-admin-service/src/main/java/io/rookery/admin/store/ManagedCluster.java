package io.rookery.admin.store;

import io.rookery.admin.cluster.Credentials;
import io.rookery.admin.cluster.NodeAddress;
import java.time.Instant;
import java.util.List;

/** A cluster the service manages: its name, the seeds it is reached through, its credentials. */
public record ManagedCluster(String name, List<NodeAddress> seeds, Credentials credentials, Instant createdAt) {
}
