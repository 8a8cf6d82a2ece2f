package io.rookery.node.dispatch;

import io.netty.buffer.ByteBuf;
import io.rookery.protocol.Numbers;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes propagated units as Redis writes them to the AOF and to replicas: RESP arrays, a SELECT
 * whenever the database changes, and MULTI ... EXEC around units of more than one command. Each
 * stream keeps its own encoder, since each remembers its own last database.
 */
public final class StreamEncoder {
    private static final byte[] CRLF = {'\r', '\n'};
    private int lastDb = -1;

    public void encode(List<Propagation.Op> unit, ByteBuf out) {
        boolean multi = unit.size() > 1;
        if (multi) {
            select(out, unit.get(0).db()); // Redis selects the first command's database before MULTI
            command(out, bytes("MULTI"));
        }
        for (Propagation.Op op : unit) {
            select(out, op.db());
            command(out, op.args());
        }
        if (multi) {
            command(out, bytes("EXEC"));
        }
    }

    private void select(ByteBuf out, int db) {
        if (db != lastDb) {
            command(out, bytes("SELECT"), Numbers.toBytes(db));
            lastDb = db;
        }
    }

    /** Forgets the selected database (a new file or a new replica starts from none). */
    public void reset() {
        lastDb = -1;
    }

    public static void command(ByteBuf out, byte[]... args) {
        out.writeByte('*');
        Numbers.writeLong(out, args.length);
        out.writeBytes(CRLF);
        for (byte[] a : args) {
            out.writeByte('$');
            Numbers.writeLong(out, a.length);
            out.writeBytes(CRLF);
            out.writeBytes(a);
            out.writeBytes(CRLF);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
