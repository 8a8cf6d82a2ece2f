package io.rookery.admin.plan;

/** A node's role as {@code CLUSTER NODES} reports it: {@code master} or {@code slave}. */
public enum NodeRole {
    PRIMARY,
    REPLICA
}
