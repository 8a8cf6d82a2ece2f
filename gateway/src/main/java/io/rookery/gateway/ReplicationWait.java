package io.rookery.gateway;

import io.netty.buffer.ByteBuf;
import io.rookery.protocol.Numbers;
import io.rookery.protocol.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * WAIT numreplicas timeout for the writes this client made, as Redis means it (a connection waits for
 * its own writes) and as Redis Cluster proxies do: once every earlier reply of the client is in, WAIT
 * goes to each primary that owns a slot the client wrote to since its last WAIT (every primary when it
 * wrote nothing), and the answer is the smallest count.
 *
 * <p>A primary counts replicas against the offset of the connection WAIT arrives on, but the client's
 * writes went over the shared link. So WAIT runs on a dedicated link, after a marker that writes on
 * that same link: a script that sets and deletes a gateway key of the written slot (atomic, so nobody
 * sees the key; its replication puts the link's offset past the client's writes, which were already
 * answered). A marker that fails makes that primary's part an error rather than a count too lenient.
 */
final class ReplicationWait {
    private static final byte[] MARKER_SCRIPT = ("if redis.call('exists', KEYS[1]) == 0 then "
            + "redis.call('set', KEYS[1], '1') redis.call('del', KEYS[1]) end return 1").getBytes(StandardCharsets.US_ASCII);
    private static final String[] TAGS = slotTags();

    private final GatewayContext gateway;
    private final LoopBackends backends;

    ReplicationWait(GatewayContext gateway, LoopBackends backends) {
        this.gateway = gateway;
        this.backends = backends;
    }

    void run(ClientSession c, byte[][] args) {
        BitSet written = c.state.takeWritten();
        c.enqueueAtHead("wait", reply -> start(c, args, written, reply));
    }

    private void start(ClientSession c, byte[][] args, BitSet written, Receiver target) {
        SlotMap map = gateway.topology().current();
        Map<String, Integer> primaries = new LinkedHashMap<>();
        for (int slot = written.nextSetBit(0); slot >= 0; slot = written.nextSetBit(slot + 1)) {
            String owner = map.ownerOf(slot);
            if (owner == null) {
                target.failed("CLUSTERDOWN Hash slot not served");
                return;
            }
            primaries.putIfAbsent(owner, slot);
        }
        if (primaries.isEmpty()) {
            List<String> all = map.primaries();
            if (all.isEmpty()) {
                target.failed("CLUSTERDOWN The cluster is down");
                return;
            }
            all.forEach(p -> primaries.put(p, -1));
        }
        Smallest smallest = new Smallest(primaries.size(), target);
        for (Map.Entry<String, Integer> e : primaries.entrySet()) {
            String address = e.getKey();
            String down = backends.unreachable(address);
            BackendLink link = down == null ? backends.dedicated(address, c.protocol) : null;
            if (link == null) {
                smallest.part(null, null).failed(down != null ? down
                        : "ERR gateway: max number of dedicated backend connections reached");
                continue;
            }
            c.blocking(link);
            Marker marker = e.getValue() >= 0 ? new Marker(address) : null;
            if (marker != null) {
                link.send(new byte[][]{"EVAL".getBytes(StandardCharsets.US_ASCII), MARKER_SCRIPT,
                        {'1'}, markerKey(e.getValue())}, marker, 0);
            }
            link.send(args, smallest.part(marker, () -> {
                c.unblocked(link);
                backends.release(link);
            }), 0);
        }
    }

    /** A key of the gateway's in {@code slot}, for the marker script. */
    static byte[] markerKey(int slot) {
        return ("rookery-gateway-wait{" + TAGS[slot] + "}").getBytes(StandardCharsets.US_ASCII);
    }

    /** For every slot, a short hash tag that hashes to it. */
    private static String[] slotTags() {
        String[] tags = new String[16384];
        int left = tags.length;
        for (int i = 0; left > 0; i++) {
            String tag = Integer.toString(i, 36);
            int slot = SlotHash.slot(tag.getBytes(StandardCharsets.US_ASCII));
            if (tags[slot] == null) {
                tags[slot] = tag;
                left--;
            }
        }
        return tags;
    }

    /** The marker's outcome on one primary: null while fine, else why its WAIT cannot be trusted. */
    private static final class Marker implements Receiver {
        private final String address;
        private String error;

        Marker(String address) {
            this.address = address;
        }

        @Override
        public void reply(ByteBuf buf, int from, int to) {
            if (buf.getByte(from) == '-') {
                error = "ERR gateway: WAIT could not mark the replication offset on " + address + ": "
                        + ReplyFramer.line(buf, from);
            }
        }

        @Override
        public void failed(String e) {
            error = e;
        }
    }

    /** Collects one WAIT reply per primary; answers the smallest count, or the first error. */
    private static final class Smallest {
        private final Receiver target;
        private int remaining;
        private long min = Long.MAX_VALUE;
        private String error;

        Smallest(int parts, Receiver target) {
            this.remaining = parts;
            this.target = target;
        }

        Receiver part(Marker marker, Runnable answered) {
            return new Receiver() {
                @Override
                public void reply(ByteBuf buf, int from, int to) {
                    answered.run();
                    if (marker != null && marker.error != null) {
                        fail(marker.error);
                    } else if (buf.getByte(from) == ':') {
                        int cr = buf.indexOf(from, to, (byte) '\r');
                        min = Math.min(min, Numbers.parse(buf, from + 1, cr));
                    } else {
                        String line = ReplyFramer.line(buf, from);
                        fail(line != null ? line : "ERR gateway: unexpected WAIT reply from a backend");
                    }
                    done();
                }

                @Override
                public void failed(String e) {
                    if (answered != null) {
                        answered.run();
                    }
                    fail(e);
                    done();
                }
            };
        }

        private void fail(String e) {
            if (error == null) {
                error = e;
            }
        }

        private void done() {
            if (--remaining > 0) {
                return;
            }
            if (error != null) {
                target.failed(error);
            } else {
                ByteBuf out = io.netty.buffer.ByteBufAllocator.DEFAULT.buffer(24);
                out.writeByte(':');
                Numbers.writeLong(out, min);
                out.writeByte('\r').writeByte('\n');
                try {
                    target.reply(out, out.readerIndex(), out.writerIndex());
                } finally {
                    out.release();
                }
            }
        }
    }
}
