package io.rookery.node.command;

import static io.rookery.node.config.KeyspaceEventFlags.GENERIC;
import static io.rookery.node.config.KeyspaceEventFlags.STRING;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.keyspace.Database;
import io.rookery.protocol.RespWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Bitmap commands (Redis's bitops.c). Bit 0 is the most significant bit of the first byte; strings
 * grow with zero bytes when a write reaches past their end.
 */
final class BitCommands extends CommandGroup {
    private static final String BAD_OFFSET = "ERR bit offset is not an integer or out of range";
    private static final String BAD_TYPE = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

    BitCommands(CommandBasics basics) {
        super(basics);
    }

    void register(CommandRegistry r) {
        r.register("setbit", this::setbit)
                .register("getbit", this::getbit)
                .register("bitcount", this::bitcount)
                .register("bitpos", this::bitpos)
                .register("bitop", this::bitop)
                .register("bitfield", (c, a) -> bitfield(c, a, false))
                .register("bitfield_ro", (c, a) -> bitfield(c, a, true));
    }

    private long bitOffset(byte[] arg, boolean hashAllowed, int bits) {
        boolean hash = hashAllowed && arg.length > 0 && arg[0] == '#';
        byte[] num = hash ? Arrays.copyOfRange(arg, 1, arg.length) : arg;
        long v = Args.integer(num, BAD_OFFSET);
        if (hash) {
            try {
                v = Math.multiplyExact(v, (long) bits);
            } catch (ArithmeticException e) {
                throw new CommandError(BAD_OFFSET);
            }
        }
        if (v < 0 || (v >>> 3) >= config.protoMaxBulkLen) {
            throw new CommandError(BAD_OFFSET);
        }
        return v;
    }

    private void setbit(Client c, byte[][] a) {
        long offset = bitOffset(a[2], false, 1);
        long bit = Args.integer(a[3], "ERR bit is not an integer or out of range");
        if (bit != 0 && bit != 1) {
            throw new CommandError("ERR bit is not an integer or out of range");
        }
        Database db = db(c);
        byte[] v = writeString(db, a[1]);
        int byteIndex = (int) (offset >>> 3);
        byte[] value = grow(v, byteIndex + 1);
        int mask = 1 << (7 - (int) (offset & 7));
        int old = (value[byteIndex] & mask) != 0 ? 1 : 0;
        value[byteIndex] = (byte) (bit == 1 ? value[byteIndex] | mask : value[byteIndex] & ~mask);
        boolean created = v == null || v.length < value.length;
        if (created || old != bit) { // as Redis: a SETBIT that changes nothing is no write (no dirty, no event, no propagation)
            db.setRaw(a[1], value);
            dirty(1);
            notify(c, STRING, "setbit", a[1]);
        }
        c.reply().integer(old);
    }

    /** A copy of {@code v} at least {@code length} long (strings are immutable once stored). */
    private static byte[] grow(byte[] v, int length) {
        if (v == null) {
            return new byte[length];
        }
        return Arrays.copyOf(v, Math.max(v.length, length));
    }

    private void getbit(Client c, byte[][] a) {
        long offset = bitOffset(a[2], false, 1);
        byte[] v = readString(db(c), a[1]);
        int byteIndex = (int) (offset >>> 3);
        if (v == null || byteIndex >= v.length) {
            c.reply().integer(0);
            return;
        }
        c.reply().integer((v[byteIndex] >> (7 - (int) (offset & 7))) & 1);
    }

    // BITCOUNT key [start end [BYTE | BIT]]
    private void bitcount(Client c, byte[][] a) {
        if (a.length == 3 || a.length > 5) {
            throw Errors.syntax();
        }
        boolean bitMode = false;
        long start = 0;
        long end = 0;
        if (a.length >= 4) {
            start = Args.integer(a[2]);
            end = Args.integer(a[3]);
            if (a.length == 5) {
                if (Args.is(a[4], "BIT")) {
                    bitMode = true;
                } else if (!Args.is(a[4], "BYTE")) {
                    throw Errors.syntax();
                }
            }
        }
        byte[] v = readString(db(c), a[1]);
        if (v == null) {
            c.reply().integer(0);
            return;
        }
        long total = bitMode ? (long) v.length * 8 : v.length;
        if (a.length == 2) {
            start = 0;
            end = total - 1;
        } else {
            long[] r = start < 0 && end < 0 && start > end ? null : clampRange(start, end, total); // Redis: 0 before clamping
            if (r == null) {
                c.reply().integer(0);
                return;
            }
            start = r[0];
            end = r[1];
        }
        long count = 0;
        if (bitMode) {
            for (long bit = start; bit <= end; bit++) {
                count += (v[(int) (bit >>> 3)] >> (7 - (int) (bit & 7))) & 1;
            }
        } else {
            for (long i = start; i <= end; i++) {
                count += Integer.bitCount(v[(int) i] & 0xff);
            }
        }
        c.reply().integer(count);
    }

    /** Redis's range clamping for BITCOUNT/BITPOS; null when the range is empty. */
    private static long[] clampRange(long start, long end, long total) {
        if (start < 0) {
            start = total + start;
        }
        if (end < 0) {
            end = total + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (end < 0) {
            end = 0;
        }
        if (end >= total) {
            end = total - 1;
        }
        if (start > end) {
            return null;
        }
        return new long[]{start, end};
    }

    // BITPOS key bit [start [end [BYTE | BIT]]]
    private void bitpos(Client c, byte[][] a) {
        long bit = Args.integer(a[2]);
        if (bit != 0 && bit != 1) {
            throw new CommandError("ERR The bit argument must be 1 or 0.");
        }
        if (a.length > 6) {
            throw Errors.syntax();
        }
        long start = 0;
        long end = -1;
        boolean endGiven = false;
        boolean bitMode = false;
        if (a.length >= 4) {
            start = Args.integer(a[3]);
        }
        if (a.length >= 5) {
            end = Args.integer(a[4]);
            endGiven = true;
        }
        if (a.length == 6) {
            if (Args.is(a[5], "BIT")) {
                bitMode = true;
            } else if (!Args.is(a[5], "BYTE")) {
                throw Errors.syntax();
            }
        }
        byte[] v = readString(db(c), a[1]);
        if (v == null) {
            c.reply().integer(bit == 1 ? -1 : 0);
            return;
        }
        long total = bitMode ? (long) v.length * 8 : v.length;
        long[] r = clampRange(start, end, total);
        if (r == null) {
            c.reply().integer(-1);
            return;
        }
        long firstBit = bitMode ? r[0] : r[0] * 8;
        long lastBit = bitMode ? r[1] : r[1] * 8 + 7;
        for (long b = firstBit; b <= lastBit; b++) {
            int value = (v[(int) (b >>> 3)] >> (7 - (int) (b & 7))) & 1;
            if (value == bit) {
                c.reply().integer(b);
                return;
            }
        }
        // Looking for a clear bit with no explicit end: the string is padded with zeros on the right.
        if (bit == 0 && !endGiven && !bitMode) {
            c.reply().integer(lastBit + 1);
            return;
        }
        c.reply().integer(-1);
    }

    // BITOP <AND | OR | XOR | NOT> destkey key [key ...]
    private void bitop(Client c, byte[][] a) {
        byte[] op = a[1];
        boolean not = Args.is(op, "NOT");
        if (!not && !Args.is(op, "AND") && !Args.is(op, "OR") && !Args.is(op, "XOR")) {
            throw Errors.syntax();
        }
        if (not && a.length != 4) {
            throw new CommandError("ERR BITOP NOT must be called with a single source key.");
        }
        Database db = db(c);
        List<byte[]> sources = new ArrayList<>();
        int maxLen = 0;
        for (int i = 3; i < a.length; i++) {
            byte[] v = readString(db, a[i]);
            v = v == null ? new byte[0] : v;
            sources.add(v);
            maxLen = Math.max(maxLen, v.length);
        }
        byte[] out = new byte[maxLen];
        if (maxLen > 0) {
            if (not) {
                byte[] s = sources.get(0);
                for (int i = 0; i < maxLen; i++) {
                    out[i] = (byte) ~s[i];
                }
            } else {
                for (int i = 0; i < maxLen; i++) {
                    int acc = byteAt(sources.get(0), i);
                    for (int k = 1; k < sources.size(); k++) {
                        int x = byteAt(sources.get(k), i);
                        if (Args.is(op, "AND")) {
                            acc &= x;
                        } else if (Args.is(op, "OR")) {
                            acc |= x;
                        } else {
                            acc ^= x;
                        }
                    }
                    out[i] = (byte) acc;
                }
            }
        }
        if (maxLen == 0) {
            if (db.delete(a[2])) {
                notify(c, GENERIC, "del", a[2]);
            }
        } else {
            db.delete(a[2]);
            db.setRaw(a[2], out);
            notify(c, STRING, "set", a[2]);
        }
        dirty(1);
        c.reply().integer(maxLen);
    }

    private static int byteAt(byte[] v, int i) {
        return i < v.length ? v[i] & 0xff : 0;
    }

    // ---------------------------------------------------------------- BITFIELD

    private enum Overflow { WRAP, SAT, FAIL }

    private record FieldOp(char op, boolean signed, int bits, long offset, long value, Overflow overflow) {
    }

    // BITFIELD key [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>]
    //     <SET encoding offset value | INCRBY encoding offset increment> [GET ...] ...]
    private void bitfield(Client c, byte[][] a, boolean readOnly) {
        List<FieldOp> ops = new ArrayList<>();
        Overflow overflow = Overflow.WRAP;
        boolean writes = false;
        for (int i = 2; i < a.length; ) {
            byte[] sub = a[i];
            int remaining = a.length - i - 1;
            if (Args.is(sub, "OVERFLOW") && remaining >= 1) {
                byte[] o = a[i + 1];
                if (Args.is(o, "WRAP")) {
                    overflow = Overflow.WRAP;
                } else if (Args.is(o, "SAT")) {
                    overflow = Overflow.SAT;
                } else if (Args.is(o, "FAIL")) {
                    overflow = Overflow.FAIL;
                } else {
                    throw new CommandError("ERR Invalid OVERFLOW type specified");
                }
                i += 2;
                continue;
            }
            char op;
            int args;
            if (Args.is(sub, "GET") && remaining >= 2) {
                op = 'g';
                args = 2;
            } else if (Args.is(sub, "SET") && remaining >= 3) {
                op = 's';
                args = 3;
            } else if (Args.is(sub, "INCRBY") && remaining >= 3) {
                op = 'i';
                args = 3;
            } else {
                throw Errors.syntax();
            }
            byte[] type = a[i + 1];
            boolean signed;
            int bits;
            if (type.length >= 2 && (type[0] == 'i' || type[0] == 'u')) {
                signed = type[0] == 'i';
                long b = io.rookery.protocol.Numbers.parse(type, 1, type.length);
                if (b < 1 || (signed && b > 64) || (!signed && b > 63)) {
                    throw new CommandError(BAD_TYPE);
                }
                bits = (int) b;
            } else {
                throw new CommandError(BAD_TYPE);
            }
            long offset = bitOffset(a[i + 2], true, bits);
            long value = 0;
            if (op != 'g') {
                value = Args.integer(a[i + 3]);
                writes = true;
            }
            ops.add(new FieldOp(op, signed, bits, offset, value, overflow));
            i += 1 + args;
        }
        if (readOnly && writes) {
            throw new CommandError("ERR BITFIELD_RO only supports the GET subcommand");
        }
        Database db = db(c);
        byte[] v = writes ? writeString(db, a[1]) : readString(db, a[1]);
        byte[] value = v;
        if (writes) {
            long maxByte = 0;
            for (FieldOp f : ops) {
                if (f.op != 'g') {
                    maxByte = Math.max(maxByte, (f.offset + f.bits - 1) >>> 3);
                }
            }
            value = grow(v, (int) maxByte + 1);
        }
        RespWriter r = c.reply();
        r.array(ops.size());
        boolean grown = writes && (v == null || v.length < value.length);
        int changes = 0;
        for (FieldOp f : ops) {
            if (f.op == 'g') {
                long got = value == null ? 0 : read(value, f.offset, f.bits, f.signed);
                r.integer(got);
                continue;
            }
            long old = read(value, f.offset, f.bits, f.signed);
            long target;
            boolean fail = false;
            if (f.op == 's') {
                long[] res = f.signed ? signedOverflow(f.value, 0, f.bits, f.overflow, true) : unsignedOverflow(f.value, 0, f.bits, f.overflow, true);
                fail = res == null;
                target = fail ? 0 : res[0];
            } else {
                long[] res = f.signed ? signedOverflow(old, f.value, f.bits, f.overflow, false) : unsignedOverflow(old, f.value, f.bits, f.overflow, false);
                fail = res == null;
                target = fail ? 0 : res[0];
            }
            if (fail) {
                r.nullBulk();
                continue;
            }
            write(value, f.offset, f.bits, target);
            if (grown || old != target) {
                changes++;
            }
            r.integer(f.op == 's' ? old : target);
        }
        if (changes > 0) { // each op that created, grew or changed the string counts, as Redis's server.dirty += changes
            db.setRaw(a[1], value);
            dirty(changes);
            notify(c, STRING, "setbit", a[1]);
        }
    }

    static long read(byte[] v, long offset, int bits, boolean signed) {
        long u = 0;
        for (int i = 0; i < bits; i++) {
            long bit = offset + i;
            int byteIndex = (int) (bit >>> 3);
            int b = byteIndex < v.length ? (v[byteIndex] >> (7 - (int) (bit & 7))) & 1 : 0;
            u = (u << 1) | b;
        }
        if (signed && bits < 64 && (u & (1L << (bits - 1))) != 0) {
            u |= -1L << bits;
        }
        return u;
    }

    static void write(byte[] v, long offset, int bits, long value) {
        for (int i = 0; i < bits; i++) {
            long bit = offset + i;
            int byteIndex = (int) (bit >>> 3);
            int mask = 1 << (7 - (int) (bit & 7));
            boolean set = ((value >>> (bits - 1 - i)) & 1) != 0;
            v[byteIndex] = (byte) (set ? v[byteIndex] | mask : v[byteIndex] & ~mask);
        }
    }

    /**
     * value+incr in an unsigned field of {@code bits} (SET passes the new value with incr 0 and
     * {@code isSet}); null when FAIL refuses. A SET value that is negative or too large also overflows.
     */
    private static long[] unsignedOverflow(long value, long incr, int bits, Overflow mode, boolean isSet) {
        long max = (1L << bits) - 1; // bits <= 63
        java.math.BigInteger result = isSet ? java.math.BigInteger.valueOf(value)
                : java.math.BigInteger.valueOf(value).add(java.math.BigInteger.valueOf(incr));
        boolean over = result.compareTo(java.math.BigInteger.valueOf(max)) > 0;
        boolean under = result.signum() < 0;
        if (!over && !under) {
            return new long[]{result.longValue()};
        }
        switch (mode) {
            case FAIL:
                return null;
            case SAT:
                return new long[]{over ? max : 0};
            default:
                return new long[]{result.longValue() & max};
        }
    }

    private static long[] signedOverflow(long value, long incr, int bits, Overflow mode, boolean isSet) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = bits == 64 ? Long.MIN_VALUE : -(1L << (bits - 1));
        java.math.BigInteger result = isSet ? java.math.BigInteger.valueOf(value)
                : java.math.BigInteger.valueOf(value).add(java.math.BigInteger.valueOf(incr));
        boolean over = result.compareTo(java.math.BigInteger.valueOf(max)) > 0;
        boolean under = result.compareTo(java.math.BigInteger.valueOf(min)) < 0;
        if (!over && !under) {
            return new long[]{result.longValue()};
        }
        switch (mode) {
            case FAIL:
                return null;
            case SAT:
                return new long[]{over ? max : min};
            default: {
                long raw = result.longValue();
                if (bits == 64) {
                    return new long[]{raw};
                }
                long masked = raw & ((1L << bits) - 1);
                if ((masked & (1L << (bits - 1))) != 0) {
                    masked |= -1L << bits;
                }
                return new long[]{masked};
            }
        }
    }
}
