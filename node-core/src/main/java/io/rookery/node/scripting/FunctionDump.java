package io.rookery.node.scripting;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.rdb.RdbConstants;
import io.rookery.node.rdb.RdbFormatException;
import io.rookery.node.rdb.RdbInput;
import io.rookery.node.rdb.RdbOutput;
import java.util.ArrayList;
import java.util.List;

/**
 * FUNCTION DUMP and RESTORE, Redis's payload: for each library the opcode FUNCTION2 (245) and its
 * code as an RDB string, then the RDB version (2 bytes little-endian) and the CRC64 of everything
 * before it (8 bytes little-endian) — the DUMP payload footer.
 */
final class FunctionDump {
    private FunctionDump() {
    }

    /** The libraries as RDB records: FUNCTION2 and the code, per library (also what an RDB file holds). */
    static byte[] records(Functions functions) {
        RdbOutput out = new RdbOutput(false);
        for (FunctionLibrary lib : functions.libraries()) {
            out.writeByte(RdbConstants.OPCODE_FUNCTION2);
            out.writeString(lib.code);
        }
        return out.toByteArray();
    }

    static byte[] dump(Functions functions) {
        RdbOutput out = new RdbOutput(false);
        out.writeBytes(records(functions));
        out.writeLittleEndian(RdbConstants.RDB_VERSION, 2);
        out.writeLittleEndian(out.crc64(), 8);
        return out.toByteArray();
    }

    static void restore(Client c, Functions functions, byte[][] a) {
        String policy = "APPEND";
        if (a.length > 4) {
            c.reply().error("ERR unknown subcommand or wrong number of arguments for '" + Args.text(a[1]) + "'. Try FUNCTION HELP.");
            return;
        }
        if (a.length == 4) {
            if (Args.is(a[3], "FLUSH") || Args.is(a[3], "APPEND") || Args.is(a[3], "REPLACE")) {
                policy = Args.text(a[3]).toUpperCase(java.util.Locale.ROOT);
            } else {
                c.reply().error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
                return;
            }
        }
        byte[] payload = a[2];
        if (!io.rookery.node.rdb.DumpPayload.verify(payload)) {
            c.reply().error("ERR DUMP payload version or checksum are wrong");
            return;
        }
        List<byte[]> codes = new ArrayList<>();
        try {
            RdbInput in = new RdbInput(payload, 0, payload.length - 10);
            while (!in.atEnd()) {
                int type = in.readByte();
                if (type != RdbConstants.OPCODE_FUNCTION2) {
                    c.reply().error("ERR given type is not a function");
                    return;
                }
                codes.add(in.readString());
            }
        } catch (RdbFormatException e) {
            c.reply().error("ERR can not read data type");
            return;
        }
        try {
            functions.restore(codes, policy);
        } catch (IllegalArgumentException e) {
            c.reply().error("ERR " + e.getMessage());
            return;
        }
        c.reply().ok();
    }
}
