package io.rookery.protocol.cluster.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BusCodecTest {
    private static final String A = "a".repeat(39) + "1";
    private static final String B = "b".repeat(39) + "2";
    private static final String C = "c".repeat(39) + "3";

    private static BusHeader header(BusMessageType type, BitSet slots) {
        return new BusHeader(type.code(), 7001, 0x0102030405060708L, 9, 0x1122334455667788L, A, slots, B, "10.0.0.5",
                7002, 17001, BusHeader.NODE_SLAVE | BusHeader.NODE_MYSELF, 1, BusHeader.FLAG_PAUSED);
    }

    private static ByteBuf encode(BusMessage m) {
        ByteBuf out = Unpooled.buffer();
        BusCodec.encode(m, out);
        return out;
    }

    private static String text(ByteBuf b, int at, int length) {
        return b.toString(at, length, StandardCharsets.ISO_8859_1);
    }

    @Test
    void theHeaderFieldsSitAtRedis70sOffsetsInNetworkOrder() {
        BitSet slots = new BitSet();
        slots.set(0);
        slots.set(9);
        slots.set(16383);
        GossipEntry gossip = new GossipEntry(C, 1_700_000_000L, 1_700_000_001L, "10.0.0.9", 7003, 17003,
                BusHeader.NODE_MASTER, 7004);
        BusMessage ping = new BusMessage(header(BusMessageType.PING, slots),
                new BusBody.Gossip(List.of(gossip), List.of(PingExtension.hostname("node-a"))));
        ByteBuf b = encode(ping);

        assertThat(text(b, 0, 4)).isEqualTo("RCmb");
        assertThat(b.getInt(4)).isEqualTo(b.readableBytes()).isEqualTo(2256 + 104 + 16);
        assertThat(b.getShort(8)).isEqualTo((short) 1);
        assertThat(b.getShort(10)).isEqualTo((short) 7001);
        assertThat(b.getShort(12)).isEqualTo((short) 0);
        assertThat(b.getShort(14)).isEqualTo((short) 1);
        assertThat(b.getLong(16)).isEqualTo(0x0102030405060708L);
        assertThat(b.getByte(16)).isEqualTo((byte) 1); // big-endian
        assertThat(b.getLong(24)).isEqualTo(9);
        assertThat(b.getLong(32)).isEqualTo(0x1122334455667788L);
        assertThat(text(b, 40, 40)).isEqualTo(A);
        assertThat(b.getByte(80)).isEqualTo((byte) 0b0000_0001); // slot 0
        assertThat(b.getByte(81)).isEqualTo((byte) 0b0000_0010); // slot 9 = byte 1, bit 1
        assertThat(b.getByte(80 + 2047)).isEqualTo((byte) 0b1000_0000); // slot 16383
        assertThat(text(b, 2128, 40)).isEqualTo(B);
        assertThat(text(b, 2168, 8)).isEqualTo("10.0.0.5");
        assertThat(b.getByte(2176)).isZero();
        assertThat(b.getShort(2214)).isEqualTo((short) 1);
        assertThat(b.getShort(2246)).isEqualTo((short) 7002);
        assertThat(b.getShort(2248)).isEqualTo((short) 17001);
        assertThat(b.getShort(2250)).isEqualTo((short) (2 | 16));
        assertThat(b.getByte(2252)).isEqualTo((byte) 1);
        assertThat(b.getByte(2253)).isEqualTo((byte) (BusHeader.FLAG_PAUSED | BusHeader.FLAG_EXT_DATA));

        int g = 2256;
        assertThat(text(b, g, 40)).isEqualTo(C);
        assertThat(b.getUnsignedInt(g + 40)).isEqualTo(1_700_000_000L);
        assertThat(b.getUnsignedInt(g + 44)).isEqualTo(1_700_000_001L);
        assertThat(text(b, g + 48, 8)).isEqualTo("10.0.0.9");
        assertThat(b.getShort(g + 94)).isEqualTo((short) 7003);
        assertThat(b.getShort(g + 96)).isEqualTo((short) 17003);
        assertThat(b.getShort(g + 98)).isEqualTo((short) 1);
        assertThat(b.getShort(g + 100)).isEqualTo((short) 7004);

        int x = g + 104; // hostname extension: length 16 (8 head + "node-a\0" padded to 8), type 0
        assertThat(b.getInt(x)).isEqualTo(16);
        assertThat(b.getShort(x + 4)).isEqualTo((short) PingExtension.HOSTNAME);
        assertThat(text(b, x + 8, 6)).isEqualTo("node-a");
        assertThat(b.getByte(x + 14)).isZero();
    }

    @Test
    void everyBodyRoundTrips() throws Exception {
        BitSet slots = new BitSet();
        slots.set(100, 200);
        List<BusMessage> messages = List.of(
                new BusMessage(header(BusMessageType.MEET, slots), new BusBody.Gossip(List.of(), List.of())),
                new BusMessage(header(BusMessageType.PONG, slots), new BusBody.Gossip(
                        List.of(new GossipEntry(C, 0, 5, "", 1, 2, 3, 0)), List.of(PingExtension.hostname("h"),
                                new PingExtension(7, new byte[] {1, 2, 3, 4, 5, 6, 7, 8})))),
                new BusMessage(header(BusMessageType.FAIL, slots), new BusBody.Fail(C)),
                new BusMessage(header(BusMessageType.PUBLISH, slots),
                        new BusBody.Publish("news".getBytes(), "hello\r\nworld".getBytes())),
                new BusMessage(header(BusMessageType.PUBLISHSHARD, slots), new BusBody.Publish(new byte[0], new byte[0])),
                new BusMessage(header(BusMessageType.UPDATE, slots), new BusBody.Update(42, C, slots)),
                new BusMessage(header(BusMessageType.FAILOVER_AUTH_REQUEST, slots), new BusBody.Empty()),
                new BusMessage(header(BusMessageType.FAILOVER_AUTH_ACK, slots), new BusBody.Empty()),
                new BusMessage(header(BusMessageType.MFSTART, slots), new BusBody.Empty()),
                new BusMessage(header(BusMessageType.MODULE, slots), new BusBody.Module(77, 3, new byte[] {9, 9})),
                new BusMessage(new BusHeader(42, 1, 2, 3, 4, A, new BitSet(), null, "", 0, 0, 0, 0, 0),
                        new BusBody.Unknown(new byte[] {1, 2, 3})));
        for (BusMessage m : messages) {
            ByteBuf b = encode(m);
            assertThat(b.readableBytes()).isEqualTo(BusCodec.encodedLength(m));
            BusMessage back = BusCodec.decode(b);
            assertThat(back.body()).as("%s", m.header().knownType()).isEqualTo(m.body());
            assertThat(back.header().slots()).isEqualTo(slots.isEmpty() || m.header().type() == 42 ? m.header().slots() : slots);
            assertThat(back.header().sender()).isEqualTo(A);
            assertThat(back.header().type()).isEqualTo(m.header().type());
            assertThat(b.isReadable()).isFalse();
        }
    }

    @Test
    void aPrimaryHasNoReplicaOfAndAnEmptyIpMeansUseTheSocketsAddress() throws Exception {
        BusMessage m = new BusMessage(new BusHeader(BusMessageType.PING.code(), 6379, 0, 0, 0, A, new BitSet(), null, "",
                0, 16379, BusHeader.NODE_MASTER, 0, 0), new BusBody.Gossip(List.of(), List.of()));
        ByteBuf b = encode(m);
        for (int i = 2128; i < 2168 + 46; i++) {
            assertThat(b.getByte(i)).isZero();
        }
        assertThat(b.getByte(2253)).as("no EXT_DATA without extensions").isZero();
        BusHeader back = BusCodec.decode(b).header();
        assertThat(back.replicaOf()).isNull();
        assertThat(back.myIp()).isEmpty();
    }

    @Test
    void everyTruncationOrLengthLieIsRejectedAsMalformed() {
        BitSet slots = new BitSet();
        BusMessage ping = new BusMessage(header(BusMessageType.PING, slots), new BusBody.Gossip(
                List.of(new GossipEntry(C, 0, 0, "", 1, 2, 3, 0)), List.of(PingExtension.hostname("host"))));
        byte[] whole = bytes(encode(ping));
        for (int cut = 0; cut < whole.length; cut += 7) {
            ByteBuf truncated = Unpooled.wrappedBuffer(whole, 0, cut);
            assertThatThrownBy(() -> BusCodec.decode(truncated)).isInstanceOf(MalformedBusMessageException.class);
        }
        // totlen that matches the frame but not the gossip count
        ByteBuf lying = Unpooled.wrappedBuffer(whole.clone());
        lying.setShort(14, 3);
        assertThatThrownBy(() -> BusCodec.decode(lying)).isInstanceOf(MalformedBusMessageException.class);
        // an extension whose length is not a multiple of 8
        ByteBuf badExtension = Unpooled.wrappedBuffer(whole.clone());
        badExtension.setInt(2256 + 104, 12);
        assertThatThrownBy(() -> BusCodec.decode(badExtension)).isInstanceOf(MalformedBusMessageException.class);
        ByteBuf version = Unpooled.wrappedBuffer(whole.clone());
        version.setShort(8, 2);
        assertThatThrownBy(() -> BusCodec.decode(version)).isInstanceOf(MalformedBusMessageException.class);
        ByteBuf signature = Unpooled.wrappedBuffer(whole.clone());
        signature.setByte(0, 'X');
        assertThatThrownBy(() -> BusCodec.decode(signature)).isInstanceOf(MalformedBusMessageException.class);
        ByteBuf failTooLong = encode(new BusMessage(header(BusMessageType.FAIL, slots), new BusBody.Fail(C)));
        failTooLong.writeByte(0);
        failTooLong.setInt(4, failTooLong.readableBytes());
        assertThatThrownBy(() -> BusCodec.decode(failTooLong)).isInstanceOf(MalformedBusMessageException.class);
    }

    @Test
    void randomBytesBehindAValidFrameHeadNeverEscapeAsAnythingButMalformed() {
        Random random = new Random(7);
        for (int i = 0; i < 5000; i++) {
            byte[] frame = new byte[2256 + random.nextInt(600)];
            random.nextBytes(frame);
            ByteBuf b = Unpooled.wrappedBuffer(frame);
            b.setBytes(0, BusCodec.SIGNATURE);
            b.setInt(4, frame.length);
            b.setShort(8, 1);
            b.setShort(12, random.nextInt(12));
            if (random.nextBoolean()) {
                b.setShort(14, random.nextInt(4));
            }
            try {
                BusCodec.decode(b);
            } catch (MalformedBusMessageException expected) {
                // dropped, as Redis drops it
            }
        }
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] a = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), a);
        return a;
    }
}
