/**
 * The planners of the cluster admin service: pure functions from a {@link io.rookery.admin.plan.ClusterTopology}
 * snapshot (plus the operator's parameters) to a {@link io.rookery.admin.plan.Plan}. Nothing here performs I/O,
 * opens sockets or imports Spring; the service reads the live cluster into a snapshot, asks a planner, shows the
 * plan as a dry run (the records serialise to JSON as they are) and hands it to the executor, which persists each
 * step before doing it.
 *
 * <p>Where a planner mirrors {@code redis-cli --cluster} (create, reshard, rebalance, fix) it follows redis-cli
 * 7.0's arithmetic and ordering so that the same topology gives the same moves; where it goes beyond redis-cli
 * (load rebalance) its objective is stated in the plan.
 */
package io.rookery.admin.plan;
