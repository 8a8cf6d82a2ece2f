package io.rookery.node.types;

import io.rookery.node.keyspace.TypedValue;

/**
 * Base of collection values. While attached to the keyspace a value reports every change of its
 * size to the keyspace counter; detached (being built, or temporary) it reports nothing, and the
 * database adds or subtracts its whole size when attaching or detaching it.
 */
abstract class AccountedValue implements TypedValue {
    protected final TypeContext ctx;
    private long reported;
    private boolean attached;

    AccountedValue(TypeContext ctx) {
        this.ctx = ctx;
    }

    /** Current size in bytes, computed from the value's own fields. */
    protected abstract long computeBytes();

    /** Call after every change (and at the end of constructors). */
    protected final void account() {
        long now = computeBytes();
        if (attached && now != reported) {
            ctx.memory().add(now - reported);
        }
        reported = now;
    }

    @Override
    public long memoryUsage() {
        return reported;
    }

    @Override
    public void attach(boolean attached) {
        this.attached = attached;
    }
}
