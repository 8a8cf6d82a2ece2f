package io.rookery.node.command;

import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.Errors;
import io.rookery.protocol.RespWriter;
import java.util.List;

/** The options of HSCAN, SSCAN and ZSCAN: MATCH pattern, COUNT count. */
final class ScanArgs {
    byte[] pattern;
    long count = 10;

    static ScanArgs parse(byte[][] a, int from) {
        ScanArgs s = new ScanArgs();
        for (int i = from; i < a.length; i += 2) {
            if (i + 1 >= a.length) {
                throw Errors.syntax();
            }
            if (Args.is(a[i], "MATCH")) {
                byte[] p = a[i + 1];
                s.pattern = p.length == 1 && p[0] == '*' ? null : p;
            } else if (Args.is(a[i], "COUNT")) {
                s.count = Args.integer(a[i + 1]);
                if (s.count < 1) {
                    throw Errors.syntax();
                }
            } else {
                throw Errors.syntax();
            }
        }
        return s;
    }

    long cursor(byte[] arg) {
        return KeyCommands.parseCursor(arg);
    }

    void reply(RespWriter r, long cursor, List<byte[]> items) {
        r.array(2);
        r.bulk(Long.toUnsignedString(cursor));
        r.array(items.size());
        for (byte[] item : items) {
            r.bulk(item);
        }
    }
}
