package io.rookery.node.command;

import io.rookery.node.dispatch.CommandError;
import io.rookery.node.types.ZSetValue;
import io.rookery.protocol.DoubleFormat;

/** Score and lex range bounds of the sorted set commands, parsed as Redis parses them. */
final class ZRange {
    private ZRange() {
    }

    /** A score bound: value plus whether it is exclusive ("(1.5"). */
    record ScoreBound(double value, boolean exclusive) {
    }

    static ScoreBound score(byte[] arg) {
        boolean exclusive = arg.length > 0 && arg[0] == '(';
        byte[] num = exclusive ? java.util.Arrays.copyOfRange(arg, 1, arg.length) : arg;
        Double d = DoubleFormat.parse(num);
        if (d == null || d.isNaN()) {
            throw new CommandError("ERR min or max is not a float");
        }
        return new ScoreBound(d, exclusive);
    }

    static ZSetValue.LexBound lex(byte[] arg) {
        if (arg.length == 1 && arg[0] == '-') {
            return new ZSetValue.LexBound(null, false, ZSetValue.LexBound.MIN);
        }
        if (arg.length == 1 && arg[0] == '+') {
            return new ZSetValue.LexBound(null, false, ZSetValue.LexBound.MAX);
        }
        if (arg.length >= 1 && (arg[0] == '[' || arg[0] == '(')) {
            return new ZSetValue.LexBound(java.util.Arrays.copyOfRange(arg, 1, arg.length), arg[0] == '[',
                    ZSetValue.LexBound.VALUE);
        }
        throw new CommandError("ERR min or max not valid string range item");
    }

    /** First rank inside [min, max] by score (may be past the end). */
    static int firstRank(ZSetValue z, ScoreBound min) {
        return z.countScoreBefore(min.value(), min.exclusive());
    }

    /** Last rank inside [min, max] by score (may be -1). */
    static int lastRank(ZSetValue z, ScoreBound max) {
        return z.countScoreBefore(max.value(), !max.exclusive()) - 1;
    }

    static int firstRank(ZSetValue z, ZSetValue.LexBound min) {
        return z.countLexBefore(min, false);
    }

    static int lastRank(ZSetValue z, ZSetValue.LexBound max) {
        return z.countLexBefore(max, true) - 1;
    }
}
