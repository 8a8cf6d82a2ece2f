package io.rookery.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rookery.protocol.Numbers;
import io.rookery.protocol.ProtocolException;
import io.rookery.protocol.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A multi-key command whose keys span slots, split into one command per slot and merged back in the
 * order the client gave: MGET (values in key order), MSET (OK once every part is), DEL, UNLINK,
 * EXISTS and TOUCH (the counts summed). Any part's error answers the whole command (the parts that
 * succeeded stay done, as with a cluster client).
 */
final class MultiKeySplit {
    private final GatewayContext gateway;
    private final LoopBackends backends;

    MultiKeySplit(GatewayContext gateway, LoopBackends backends) {
        this.gateway = gateway;
        this.backends = backends;
    }

    void run(ClientSession c, String name, byte[][] args, int[] positions, Receiver target) {
        int step = name.equals("mset") ? 2 : 1;
        Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
        for (int p : positions) {
            bySlot.computeIfAbsent(SlotHash.slot(args[p]), k -> new ArrayList<>()).add(p);
        }
        Merge merge = new Merge(name, positions, bySlot.size(), target);
        boolean writes = !name.equals("exists") && !name.equals("mget");
        for (Map.Entry<Integer, List<Integer>> e : bySlot.entrySet()) {
            if (writes) {
                c.state.wrote(e.getKey());
            }
            List<Integer> keys = e.getValue();
            byte[][] part = new byte[1 + keys.size() * step][];
            part[0] = args[0];
            int i = 1;
            for (int p : keys) {
                part[i++] = args[p];
                if (step == 2) {
                    part[i++] = args[p + 1];
                }
            }
            new RoutedRequest(backends, part, e.getKey(), c.protocol, merge.part(keys), c, false).start();
        }
    }

    /** Collects the parts' replies and answers the client once all are in. */
    private static final class Merge {
        private final String name;
        private final int[] positions;
        private final Receiver target;
        private final Map<Integer, ByteBuf> values = new LinkedHashMap<>();
        private int remaining;
        private long sum;
        private String error;

        Merge(String name, int[] positions, int parts, Receiver target) {
            this.name = name;
            this.positions = positions;
            this.remaining = parts;
            this.target = target;
        }

        Receiver part(List<Integer> keys) {
            return new Receiver() {
                @Override
                public void reply(ByteBuf buf, int from, int to) {
                    take(keys, buf, from, to);
                    done();
                }

                @Override
                public void failed(String e) {
                    if (error == null) {
                        error = e;
                    }
                    done();
                }
            };
        }

        private void take(List<Integer> keys, ByteBuf buf, int from, int to) {
            byte prefix = buf.getByte(from);
            if (prefix == '-' || prefix == '!') {
                if (error == null) {
                    error = prefix == '-' ? ReplyFramer.line(buf, from) : "ERR " + buf.toString(from, to - from, StandardCharsets.UTF_8);
                }
                return;
            }
            switch (name) {
                case "mget" -> {
                    try {
                        int[] bounds = ReplyFramer.elements(buf, from);
                        if (bounds == null || bounds.length - 1 != keys.size()) {
                            error = "ERR gateway: unexpected MGET reply from a backend";
                            return;
                        }
                        for (int i = 0; i < keys.size(); i++) {
                            ByteBuf v = ByteBufAllocator.DEFAULT.buffer(bounds[i + 1] - bounds[i]);
                            v.writeBytes(buf, bounds[i], bounds[i + 1] - bounds[i]);
                            values.put(keys.get(i), v);
                        }
                    } catch (ProtocolException e) {
                        error = "ERR gateway: malformed MGET reply from a backend";
                    }
                }
                case "mset" -> { }
                default -> {
                    if (prefix == ':') {
                        int cr = buf.indexOf(from, to, (byte) '\r');
                        sum += Numbers.parse(buf, from + 1, cr);
                    }
                }
            }
        }

        private void done() {
            if (--remaining > 0) {
                return;
            }
            if (error != null) {
                values.values().forEach(ByteBuf::release);
                target.failed(error);
                return;
            }
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer(64);
            switch (name) {
                case "mget" -> {
                    out.writeByte('*');
                    Numbers.writeLong(out, positions.length);
                    out.writeByte('\r').writeByte('\n');
                    for (int p : positions) {
                        ByteBuf v = values.get(p);
                        out.writeBytes(v, v.readerIndex(), v.readableBytes());
                    }
                    values.values().forEach(ByteBuf::release);
                }
                case "mset" -> out.writeCharSequence("+OK\r\n", StandardCharsets.US_ASCII);
                default -> {
                    out.writeByte(':');
                    Numbers.writeLong(out, sum);
                    out.writeByte('\r').writeByte('\n');
                }
            }
            try {
                target.reply(out, out.readerIndex(), out.writerIndex());
            } finally {
                out.release();
            }
        }
    }
}
