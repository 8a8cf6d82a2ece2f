package io.rookery.node.persistence;

import io.rookery.node.types.StreamConsumer;
import io.rookery.node.types.StreamGroup;
import io.rookery.node.types.StreamId;
import io.rookery.node.types.StreamPending;
import io.rookery.node.types.StreamValue;
import io.rookery.protocol.Numbers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The commands that rebuild a stream in an AOF without RDB preamble, as Redis's rewriteStreamObject:
 * one XADD per entry (an empty stream as {@code XADD key MAXLEN 0 0-1 x y}), XSETID with the
 * stream's counters, then per group XGROUP CREATE ... ENTRIESREAD, an XCLAIM ... FORCE per pending
 * entry and XGROUP CREATECONSUMER for consumers with nothing pending.
 */
final class StreamRewrite {
    private StreamRewrite() {
    }

    static List<List<byte[]>> commands(byte[] key, StreamValue s) {
        List<List<byte[]>> out = new ArrayList<>();
        if (s.length() > 0) {
            for (Map.Entry<StreamId, byte[][]> e : s.range(StreamId.MIN, StreamId.MAX).entrySet()) {
                List<byte[]> cmd = new ArrayList<>(List.of(b("XADD"), key, e.getKey().bytes()));
                cmd.addAll(Arrays.asList(e.getValue()));
                out.add(cmd);
            }
        } else {
            out.add(List.of(b("XADD"), key, b("MAXLEN"), b("0"), b("0-1"), b("x"), b("y")));
        }
        out.add(List.of(b("XSETID"), key, s.lastId().bytes(), b("ENTRIESADDED"), Numbers.toBytes(s.entriesAdded()),
                b("MAXDELETEDID"), s.maxDeletedId().bytes()));
        for (StreamGroup g : s.groups()) {
            out.add(List.of(b("XGROUP"), b("CREATE"), key, g.name(), g.lastId.bytes(), b("ENTRIESREAD"),
                    Numbers.toBytes(g.entriesRead)));
            for (StreamConsumer c : g.consumers.values()) {
                if (c.pel.isEmpty()) {
                    out.add(List.of(b("XGROUP"), b("CREATECONSUMER"), key, g.name(), c.name()));
                    continue;
                }
                for (StreamPending p : c.pel.values()) {
                    out.add(List.of(b("XCLAIM"), key, g.name(), c.name(), b("0"), p.id.bytes(), b("TIME"),
                            Numbers.toBytes(p.deliveryTime), b("RETRYCOUNT"), Numbers.toBytes(p.deliveryCount),
                            b("JUSTID"), b("FORCE")));
                }
            }
        }
        return out;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
