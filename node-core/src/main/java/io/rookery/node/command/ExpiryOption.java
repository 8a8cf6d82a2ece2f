package io.rookery.node.command;

import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.Errors;

/**
 * The expiry options of SET and GETEX: EX seconds, PX ms, EXAT unix-seconds, PXAT unix-ms, KEEPTTL,
 * PERSIST. Converted to an absolute unix time in ms with Redis's checks (positive, no overflow).
 */
final class ExpiryOption {
    enum Kind { NONE, EX, PX, EXAT, PXAT, KEEPTTL, PERSIST }

    Kind kind = Kind.NONE;
    long whenMillis = -1;

    /**
     * Tries to read an option at {@code args[i]}; returns how many arguments it took (0 when the
     * argument is not an expiry option). A second expiry option is a syntax error.
     */
    int parse(byte[][] args, int i, boolean allowKeepTtl, boolean allowPersist) {
        byte[] a = args[i];
        Kind k;
        if (Args.is(a, "EX")) {
            k = Kind.EX;
        } else if (Args.is(a, "PX")) {
            k = Kind.PX;
        } else if (Args.is(a, "EXAT")) {
            k = Kind.EXAT;
        } else if (Args.is(a, "PXAT")) {
            k = Kind.PXAT;
        } else if (allowKeepTtl && Args.is(a, "KEEPTTL")) {
            k = Kind.KEEPTTL;
        } else if (allowPersist && Args.is(a, "PERSIST")) {
            k = Kind.PERSIST;
        } else {
            return 0;
        }
        if (kind != Kind.NONE) {
            throw Errors.syntax();
        }
        kind = k;
        if (k == Kind.KEEPTTL || k == Kind.PERSIST) {
            return 1;
        }
        if (i + 1 >= args.length) {
            throw Errors.syntax();
        }
        return 2;
    }

    /** Resolves the numeric argument after the option into {@link #whenMillis}. */
    void resolve(byte[] value, long now, String command) {
        long v = Args.integer(value);
        if (v <= 0) {
            throw new CommandError(Errors.invalidExpire(command));
        }
        try {
            whenMillis = switch (kind) {
                case EX -> Math.addExact(now, Math.multiplyExact(v, 1000L));
                case PX -> Math.addExact(now, v);
                case EXAT -> Math.multiplyExact(v, 1000L);
                case PXAT -> v;
                default -> -1;
            };
        } catch (ArithmeticException e) {
            throw new CommandError(Errors.invalidExpire(command));
        }
    }

    boolean setsTime() {
        return kind == Kind.EX || kind == Kind.PX || kind == Kind.EXAT || kind == Kind.PXAT;
    }
}
