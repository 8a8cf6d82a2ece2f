package io.rookery.admin.plan;

/** Which planner made a {@link Plan}. */
public enum PlanKind {
    CREATE,
    ADD_NODE,
    RESHARD,
    REBALANCE,
    LOAD_REBALANCE,
    DRAIN,
    FIX
}
