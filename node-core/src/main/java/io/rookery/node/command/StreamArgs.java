package io.rookery.node.command;

import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.types.StreamId;
import io.rookery.node.types.StreamValue;

/**
 * Argument parsing shared by the stream commands, with Redis's error texts: ids in their strict,
 * loose ("-"/"+") and interval ("(" exclusive) forms, XADD's {@code <ms>-*}, and the trim options of
 * XADD/XTRIM (Redis's streamParseAddOrTrimArgsOrReply).
 */
final class StreamArgs {
    static final String INVALID_ID = "ERR Invalid stream ID specified as stream command argument";

    private StreamArgs() {
    }

    /** An id where "-" and "+" are not accepted. */
    static StreamId strict(byte[] arg, long missingSeq) {
        if (arg.length == 1 && (arg[0] == '-' || arg[0] == '+')) {
            throw new CommandError(INVALID_ID);
        }
        return loose(arg, missingSeq);
    }

    /** An id where "-" is 0-0 and "+" the largest id. */
    static StreamId loose(byte[] arg, long missingSeq) {
        if (arg.length == 1 && arg[0] == '-') {
            return StreamId.MIN;
        }
        if (arg.length == 1 && arg[0] == '+') {
            return StreamId.MAX;
        }
        StreamId id = arg.length > 127 ? null : StreamId.parse(arg, missingSeq);
        if (id == null) {
            throw new CommandError(INVALID_ID);
        }
        return id;
    }

    /** XRANGE's bounds: a "(" prefix makes the bound exclusive (and strict). */
    static StreamId interval(byte[] arg, long missingSeq, boolean start) {
        if (arg.length > 1 && arg[0] == '(') {
            StreamId id = strict(java.util.Arrays.copyOfRange(arg, 1, arg.length), missingSeq);
            StreamId moved = start ? id.next() : id.previous();
            if (moved == null) {
                throw new CommandError(start ? "ERR invalid start ID for the interval" : "ERR invalid end ID for the interval");
            }
            return moved;
        }
        return loose(arg, missingSeq);
    }

    /** XADD's explicit id: {@code ms-seq}, {@code ms} (seq 0) or {@code ms-*} (seq to generate). */
    record AddId(StreamId id, boolean seqGiven) {
    }

    static AddId addId(byte[] arg) {
        int n = arg.length;
        if (n >= 3 && arg[n - 1] == '*' && arg[n - 2] == '-') {
            StreamId ms = strict(java.util.Arrays.copyOf(arg, n - 2), 0);
            if (indexOf(arg, (byte) '-') != n - 2) {
                throw new CommandError(INVALID_ID);
            }
            return new AddId(ms, false);
        }
        return new AddId(strict(arg, 0), true);
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The parsed options of XADD or XTRIM. {@code idIndex} is where XADD's id is (for XTRIM, the
     * argument count); {@code strategyIndex} where the MAXLEN/MINID value is (-1 without trimming).
     */
    record AddOrTrim(StreamValue.Trim trim, boolean noMkStream, int idIndex, int strategyIndex) {
    }

    /**
     * Whether {@code c} replays a primary's stream or an AOF (Redis's mustObeyClient): such clients
     * trim exactly as told, LIMIT ignored, since the writer already turned "~" into "=".
     */
    static boolean replaying(io.rookery.node.client.Client c) {
        return c.connection() instanceof io.rookery.node.client.DetachedConnection && c.id() != -1;
    }

    /** Parses the options from argument 2 on, as Redis does, stopping at XADD's id. */
    static AddOrTrim parseAddOrTrim(byte[][] a, boolean xadd, long nodeMaxEntries, boolean replaying) {
        int strategy = 0; // 0 none, 1 maxlen, 2 minid
        boolean approx = false;
        long maxlen = 0;
        StreamId minId = StreamId.MIN;
        long limit = 0;
        boolean limitGiven = false;
        boolean noMkStream = false;
        int strategyIndex = -1;
        int i = 2;
        for (; i < a.length; i++) {
            int more = a.length - 1 - i;
            byte[] opt = a[i];
            if (xadd && opt.length == 1 && opt[0] == '*') {
                break;
            } else if (Args.is(opt, "MAXLEN") && more > 0) {
                if (strategy != 0) {
                    throw new CommandError("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                }
                approx = false;
                byte[] next = a[i + 1];
                if (more >= 2 && next.length == 1 && next[0] == '~') {
                    approx = true;
                    i++;
                } else if (more >= 2 && next.length == 1 && next[0] == '=') {
                    i++;
                }
                maxlen = Args.integer(a[i + 1]);
                if (maxlen < 0) {
                    throw new CommandError("ERR The MAXLEN argument must be >= 0.");
                }
                i++;
                strategy = 1;
                strategyIndex = i;
            } else if (Args.is(opt, "MINID") && more > 0) {
                if (strategy != 0) {
                    throw new CommandError("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                }
                approx = false;
                byte[] next = a[i + 1];
                if (more >= 2 && next.length == 1 && next[0] == '~') {
                    approx = true;
                    i++;
                } else if (more >= 2 && next.length == 1 && next[0] == '=') {
                    i++;
                }
                minId = strict(a[i + 1], 0);
                i++;
                strategy = 2;
                strategyIndex = i;
            } else if (Args.is(opt, "LIMIT") && more > 0) {
                limit = Args.integer(a[i + 1]);
                if (limit < 0) {
                    throw new CommandError("ERR The LIMIT argument must be >= 0.");
                }
                limitGiven = true;
                i++;
            } else if (xadd && Args.is(opt, "NOMKSTREAM")) {
                noMkStream = true;
            } else if (xadd) {
                break; // the id: validated by the caller
            } else {
                throw Errors.syntax();
            }
        }
        if (limit != 0 && strategy == 0) {
            throw new CommandError("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        }
        if (!xadd && strategy == 0) {
            throw new CommandError("ERR syntax error, XTRIM must be called with a trimming strategy");
        }
        if (replaying) {
            limit = 0;
        } else if (limitGiven) {
            if (!approx) {
                throw new CommandError("ERR syntax error, LIMIT cannot be used without the special ~ option");
            }
        } else if (approx) {
            limit = 100 * nodeMaxEntries;
            if (limit <= 0) {
                limit = 10000;
            }
            if (limit > 1000000) {
                limit = 1000000;
            }
        } else {
            limit = 0;
        }
        StreamValue.Trim trim = strategy == 0 ? null : new StreamValue.Trim(strategy == 1, maxlen, minId, approx, limit);
        return new AddOrTrim(trim, noMkStream, i, strategyIndex);
    }
}
