package io.rookery.admin.plan;

/**
 * The request cannot be planned on this topology (too few primaries, unknown node, a target that owns nothing to
 * balance...). The message is what redis-cli prints in the same case where redis-cli has one, so that an operator
 * recognises it; the service answers it as a 422 problem.
 */
public class PlanRejectedException extends RuntimeException {
    public PlanRejectedException(String reason) {
        super(reason);
    }
}
