package io.rookery.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.RedisCli;
import io.rookery.protocol.cluster.bus.BusBody;
import io.rookery.protocol.cluster.bus.BusCodec;
import io.rookery.protocol.cluster.bus.BusHeader;
import io.rookery.protocol.cluster.bus.BusMessage;
import io.rookery.protocol.cluster.bus.BusMessageType;
import io.rookery.protocol.cluster.bus.PingExtension;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The cluster bus codec against real redis-server 7.0 in cluster mode: Redis's MEET and PINGs decode
 * (sender, ports, flags, hostname extension), and the PONGs and PUBLISH we encode are accepted by Redis
 * (it learns our name, address, hostname and slots, and delivers the published message).
 */
@Tag("interop")
class ClusterBusInteropIT {
    private static final String OUR_NAME = "0123456789abcdef0123456789abcdef01234567";

    @Test
    void realRedisMeetsUsOverTheBusAndTakesOurSlotsHostnameAndPublish() throws Exception {
        int busPort = RealRedis.freePort();
        int ourClientPort = RealRedis.freePort();
        try (ServerSocket bus = new ServerSocket(busPort, 5, java.net.InetAddress.getLoopbackAddress());
             RealRedis redis = RealRedis.start("--cluster-enabled", "yes", "--cluster-port",
                     Integer.toString(RealRedis.freePort()), "--cluster-node-timeout", "2000",
                     "--cluster-announce-hostname", "redis-a")) {
            String redisId = RedisCli.run(redis.port(), "CLUSTER", "MYID").trim();
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + redis.port());
            BlockingQueue<String> received = subscribe(client, "news");
            assertThat(RedisCli.run(redis.port(), "CLUSTER", "MEET", "127.0.0.1", Integer.toString(ourClientPort),
                    Integer.toString(busPort)).trim()).isEqualTo("OK");
            bus.setSoTimeout(10_000);
            try (Socket link = bus.accept()) {
                link.setSoTimeout(10_000);
                DataInputStream in = new DataInputStream(link.getInputStream());
                BusMessage meet = read(in);
                assertThat(meet.header().knownType()).isEqualTo(BusMessageType.MEET);
                assertThat(meet.header().sender()).isEqualTo(redisId);
                assertThat(meet.header().port()).isEqualTo(redis.port());
                assertThat(meet.header().nodeFlags() & BusHeader.NODE_MASTER).isNotZero();
                assertThat(meet.header().replicaOf()).isNull();
                assertThat(((BusBody.Gossip) meet.body()).extensions()).extracting(PingExtension::hostnameText)
                        .containsExactly("redis-a");

                BitSet ours = new BitSet();
                ours.set(0, 100);
                OutputStream out = link.getOutputStream();
                send(out, pong(ourClientPort, busPort, ours));
                String nodes = "";
                long deadline = System.currentTimeMillis() + 20_000;
                while (System.currentTimeMillis() < deadline && !(nodes.contains(OUR_NAME + " 127.0.0.1:" + ourClientPort
                        + "@" + busPort + ",rookery-1 master - ") && nodes.contains(" connected 0-99"))) {
                    BusMessage ping = read(in); // Redis keeps pinging; each answer carries our slots again
                    if (ping.header().knownType() == BusMessageType.PING) {
                        send(out, pong(ourClientPort, busPort, ours));
                    }
                    nodes = RedisCli.run(redis.port(), "CLUSTER", "NODES");
                }
                assertThat(nodes).contains(OUR_NAME + " 127.0.0.1:" + ourClientPort + "@" + busPort + ",rookery-1 master - ")
                        .contains(" connected 0-99");

                send(out, new BusMessage(header(BusMessageType.PUBLISH, ourClientPort, busPort, ours),
                        new BusBody.Publish("news".getBytes(), "from the bus".getBytes())));
                assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("news:from the bus");
            } finally {
                client.shutdown();
            }
        }
    }

    /** Subscribes before the bus link exists, so the PUBLISH is not racing a slow client start. */
    private static BlockingQueue<String> subscribe(RedisClient client, String channel) {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, String message) {
                received.add(ch + ":" + message);
            }
        });
        sub.sync().subscribe(channel);
        return received;
    }

    private static BusMessage pong(int port, int busPort, BitSet slots) {
        return new BusMessage(header(BusMessageType.PONG, port, busPort, slots),
                new BusBody.Gossip(List.of(), List.of(PingExtension.hostname("rookery-1"))));
    }

    private static BusHeader header(BusMessageType type, int port, int busPort, BitSet slots) {
        return new BusHeader(type.code(), port, 1, 1, 0, OUR_NAME, slots, null, "", 0, busPort, BusHeader.NODE_MASTER, 0, 0);
    }

    private static void send(OutputStream out, BusMessage m) throws IOException {
        ByteBuf b = Unpooled.buffer();
        BusCodec.encode(m, b);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        out.write(bytes);
        out.flush();
    }

    private static BusMessage read(DataInputStream in) throws Exception {
        byte[] head = new byte[8];
        in.readFully(head);
        int totlen = Unpooled.wrappedBuffer(head).getInt(4);
        byte[] frame = new byte[totlen];
        System.arraycopy(head, 0, frame, 0, 8);
        in.readFully(frame, 8, totlen - 8);
        return BusCodec.decode(Unpooled.wrappedBuffer(frame));
    }
}
