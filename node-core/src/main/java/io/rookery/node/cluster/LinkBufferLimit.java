package io.rookery.node.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cron's pass over every node's two links, as Redis 7.0's {@code clusterCron} steps 2 and 3:
 * a link whose send buffer holds more than {@code cluster-link-sendbuf-limit} (a peer that stopped
 * reading while messages such as PUBLISH keep coming) is dropped and counted in CLUSTER INFO's
 * {@code total_cluster_links_buffer_limit_exceeded}, so one stuck peer cannot exhaust the node's
 * memory; the cron's next step reconnects an outbound link, the peer reconnects an inbound one. Then
 * the memory of the links left is summed for INFO's {@code mem_cluster_links}.
 */
final class LinkBufferLimit {
    private static final Logger LOG = LoggerFactory.getLogger(LinkBufferLimit.class);

    private final Cluster cluster;

    LinkBufferLimit(Cluster cluster) {
        this.cluster = cluster;
    }

    void check() {
        long limit = cluster.settings().linkSendBufferLimit();
        long memory = 0;
        for (ClusterNode n : cluster.state().nodes()) {
            if (n.link != null && overLimit(n.link, limit)) {
                n.link = null;
            }
            if (n.inboundLink != null && overLimit(n.inboundLink, limit)) {
                n.inboundLink = null;
            }
            memory += n.link == null ? 0 : n.link.memoryUsage();
            memory += n.inboundLink == null ? 0 : n.inboundLink.memoryUsage();
        }
        cluster.stats().linksMemory(memory);
    }

    /** Closes {@code link} when its buffer is over a non-zero limit; true when it did. */
    private boolean overLimit(BusLink link, long limit) {
        if (limit == 0) {
            return false;
        }
        long allocated = link.sendBufferAllocated();
        if (allocated <= limit) {
            return false;
        }
        LOG.warn("Freeing cluster link({} node {}, used memory: {}) due to exceeding send buffer memory limit.",
                link.inbound ? "from" : "to", link.node == null ? "" : link.node.name(), allocated);
        link.close();
        cluster.stats().linkBufferLimitExceeded();
        return true;
    }
}
