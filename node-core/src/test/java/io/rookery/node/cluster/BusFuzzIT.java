package io.rookery.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.RedisCli;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.cluster.bus.BusBody;
import io.rookery.protocol.cluster.bus.BusCodec;
import io.rookery.protocol.cluster.bus.BusHeader;
import io.rookery.protocol.cluster.bus.BusMessage;
import io.rookery.protocol.cluster.bus.BusMessageType;
import io.rookery.protocol.cluster.bus.GossipEntry;
import io.rookery.protocol.cluster.bus.PingExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Whatever arrives at the bus port of a node in a healthy three-node cluster — random bytes, valid
 * frames cut short, frames declaring huge or tiny lengths, wrong versions, unknown types, counts that
 * overrun the frame, valid frames with bytes flipped, and well-formed FAIL/UPDATE/PING messages from
 * a sender nobody knows — the node keeps answering, and the cluster keeps its three nodes, its slots
 * and its ok state.
 */
@Tag("cluster")
class BusFuzzIT {
    private static final String STRANGER = "f".repeat(39) + "0";

    private static TestNode node() throws Exception {
        Path dir = Files.createTempDirectory("bus-fuzz");
        return TestNode.start(c -> {
            try {
                c.load("cluster-enabled", "yes");
                c.load("cluster-node-timeout", "3000");
                c.load("cluster-port", Integer.toString(RealRedis.freePort()));
                c.load("dir", dir.toString());
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String myselfLine(int port) {
        return RedisCli.run(port, "CLUSTER", "NODES").lines().filter(l -> l.contains("myself")).findFirst().orElseThrow();
    }

    private static int busPort(int port) {
        return Integer.parseInt(myselfLine(port).split(" ")[1].replaceAll(".*@", "").replaceAll(",.*", ""));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static boolean healthy(List<Integer> ports) {
        for (int p : ports) {
            String info = RedisCli.run(p, "CLUSTER", "INFO");
            if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:3")
                    || !info.contains("cluster_slots_ok:16384")) {
                return false;
            }
        }
        return true;
    }

    private static byte[] frame(BusMessage m) {
        ByteBuf out = Unpooled.buffer();
        BusCodec.encode(m, out);
        byte[] bytes = ByteBufUtil.getBytes(out);
        out.release();
        return bytes;
    }

    private static BusHeader header(BusMessageType type, BitSet slots) {
        return new BusHeader(type.code(), 7001, 1000, 1000, 0, STRANGER, slots, "0".repeat(40), "127.0.0.1",
                0, 7001 + 10000, BusHeader.NODE_MASTER, 0, 0);
    }

    /** Sends the bytes on a fresh connection and closes it; a node that hangs up first is fine. */
    private static void send(int bus, byte[]... chunks) {
        try (Socket s = new Socket("127.0.0.1", bus)) {
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            for (byte[] chunk : chunks) {
                out.write(chunk);
            }
            out.flush();
        } catch (IOException e) {
            // the node closed the link: what it should do with garbage
        }
    }

    @Test
    void noBytesOnTheBusPortTakeANodeOrItsClusterDown() throws Exception {
        List<TestNode> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                nodes.add(node());
            }
            List<Integer> ports = nodes.stream().map(TestNode::port).toList();
            RedisCli.run(ports.get(0), "CLUSTER", "ADDSLOTSRANGE", "0", "5460");
            RedisCli.run(ports.get(1), "CLUSTER", "ADDSLOTSRANGE", "5461", "10922");
            RedisCli.run(ports.get(2), "CLUSTER", "ADDSLOTSRANGE", "10923", "16383");
            for (int i = 1; i < 3; i++) {
                RedisCli.run(ports.get(0), "CLUSTER", "MEET", "127.0.0.1", ports.get(i).toString(), Integer.toString(busPort(ports.get(i))));
            }
            await("a healthy cluster", () -> healthy(ports));
            int target = ports.get(0);
            int bus = busPort(target);
            String victimId = RedisCli.run(ports.get(1), "CLUSTER", "MYID").trim();
            Random random = new Random(20261201);

            BitSet all = new BitSet();
            all.set(0, 16384);
            GossipEntry gossip = new GossipEntry(victimId, 0, 0, "127.0.0.1", 1, 10001, BusHeader.NODE_MASTER | BusHeader.NODE_FAIL, 0);
            List<byte[]> valid = List.of(
                    frame(new BusMessage(header(BusMessageType.PING, all), new BusBody.Gossip(List.of(gossip, gossip),
                            List.of(PingExtension.hostname("stranger"))))),
                    frame(new BusMessage(header(BusMessageType.PONG, all), new BusBody.Gossip(List.of(gossip), List.of()))),
                    frame(new BusMessage(header(BusMessageType.FAIL, all), new BusBody.Fail(victimId))),
                    frame(new BusMessage(header(BusMessageType.UPDATE, all), new BusBody.Update(1_000_000, victimId, all))),
                    frame(new BusMessage(header(BusMessageType.FAILOVER_AUTH_REQUEST, all), new BusBody.Empty())),
                    frame(new BusMessage(header(BusMessageType.MEET, all), new BusBody.Gossip(List.of(), List.of()))));

            // well-formed messages from a stranger (all but MEET): ignored, as Redis ignores an unknown sender
            for (byte[] f : valid.subList(0, valid.size() - 1)) {
                send(bus, f);
            }
            // random bytes, some behind a plausible head
            for (int i = 0; i < 30; i++) {
                byte[] junk = new byte[1 + random.nextInt(6000)];
                random.nextBytes(junk);
                if (i % 3 == 0 && junk.length >= 10) {
                    System.arraycopy(BusCodec.SIGNATURE, 0, junk, 0, 4);
                    ByteBuffer.wrap(junk, 4, 4).putInt(BusCodec.HEADER_LENGTH + random.nextInt(4000));
                    ByteBuffer.wrap(junk, 8, 2).putShort((short) 1);
                }
                send(bus, junk);
            }
            // valid frames cut at random points (MEET included: a cut MEET is no MEET)
            for (int i = 0; i < 30; i++) {
                byte[] f = valid.get(random.nextInt(valid.size()));
                send(bus, java.util.Arrays.copyOf(f, random.nextInt(f.length)));
            }
            // declared lengths: huge, beyond any frame, below the header, and lying about the body
            for (long length : new long[] {0xFFFF_FFFFL, 0x7FFF_FFFFL, 599L * 1024 * 1024, 8, 0, BusCodec.HEADER_LENGTH - 1}) {
                byte[] head = java.util.Arrays.copyOf(valid.get(0), 64);
                ByteBuffer.wrap(head, 4, 4).putInt((int) length);
                send(bus, head, new byte[4096]);
            }
            byte[] longer = valid.get(0).clone();
            ByteBuffer.wrap(longer, 4, 4).putInt(longer.length + 500);
            send(bus, longer);
            byte[] shorter = valid.get(0).clone();
            ByteBuffer.wrap(shorter, 4, 4).putInt(BusCodec.HEADER_LENGTH);
            send(bus, shorter);
            // wrong versions, unknown types, a gossip count that overruns the frame
            for (int version : new int[] {0, 2, 0xFFFF}) {
                byte[] f = valid.get(0).clone();
                ByteBuffer.wrap(f, 8, 2).putShort((short) version);
                send(bus, f);
            }
            for (int type : new int[] {11, 200, 0xFFFF}) {
                byte[] f = valid.get(0).clone();
                ByteBuffer.wrap(f, 12, 2).putShort((short) type);
                send(bus, f);
            }
            byte[] overrun = valid.get(0).clone();
            ByteBuffer.wrap(overrun, 14, 2).putShort((short) 0xFFFF);
            send(bus, overrun);
            // valid frames with bytes flipped, many on one link
            List<byte[]> flipped = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                byte[] f = valid.get(random.nextInt(valid.size() - 1)).clone();
                for (int j = 0; j < 1 + random.nextInt(8); j++) {
                    f[random.nextInt(f.length)] ^= (byte) (1 + random.nextInt(255));
                }
                flipped.add(f);
            }
            send(bus, flipped.toArray(byte[][]::new));
            // a frame dribbled out in small pieces, then the link dropped mid-frame
            byte[] f = valid.get(0);
            List<byte[]> pieces = new ArrayList<>();
            for (int at = 0; at < f.length - 100; at += 37) {
                pieces.add(java.util.Arrays.copyOfRange(f, at, Math.min(at + 37, f.length - 100)));
            }
            send(bus, pieces.toArray(byte[][]::new));

            assertThat(RedisCli.run(target, "PING").trim()).isEqualTo("PONG");
            await("the cluster still healthy, the stranger unknown", () -> healthy(ports));
            for (int p : ports) {
                String view = RedisCli.run(p, "CLUSTER", "NODES");
                assertThat(view).doesNotContain(STRANGER).doesNotContain("fail");
                assertThat(view.lines().filter(l -> l.startsWith(victimId)).findFirst().orElseThrow()).endsWith("5461-10922");
            }
            assertThat(RedisCli.run(ports.get(1), "-c", "SET", "foo", "bar").trim()).isEqualTo("OK");
            assertThat(RedisCli.run(target, "-c", "GET", "foo").trim()).isEqualTo("bar");
        } finally {
            nodes.forEach(TestNode::close);
        }
    }
}
