package io.rookery.admin.cluster;

import java.util.List;

/**
 * A cluster's health with the reasons, in redis-cli --cluster check's words: {@code OK} when nothing is
 * wrong, {@code WARNING} when the cluster serves but needs attention (an open slot, a failing replica),
 * {@code ERROR} when it does not serve every slot or its nodes disagree.
 */
public record HealthVerdict(Status status, List<Finding> findings) {
    public enum Status { OK, WARNING, ERROR }

    /** One observation: its level and the sentence redis-cli would print. */
    public record Finding(Status level, String text) {
    }

    public boolean ok() {
        return status == Status.OK;
    }
}
