package io.rookery.node.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.NodeConfig;
import io.rookery.node.keyspace.MemoryCounter;
import io.rookery.node.types.HashValue;
import io.rookery.node.types.ListValue;
import io.rookery.node.types.SetValue;
import io.rookery.node.types.TypeContext;
import io.rookery.node.types.ZSetValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast serialization paths give the bytes the plain ones gave: the sliced CRC64 equals the
 * byte-at-a-time definition, {@link ValueCodec#bodySize} predicts the body exactly, a reused LZF
 * compressor round-trips every string, and big collections survive DUMP/RESTORE's sized buffers.
 */
class PayloadSizingTest {
    private static final TypeContext CTX = new TypeContext(new MemoryCounter(), new NodeConfig());

    /** CRC-64/Jones one byte at a time, straight from the definition. */
    private static long referenceCrc(byte[] data, int from, int to) {
        long poly = 0x95AC9329AC4BC9B5L;
        long crc = 0;
        for (int i = from; i < to; i++) {
            crc ^= data[i] & 0xff;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
            }
        }
        return crc;
    }

    @Test
    void slicedCrc64EqualsTheBytewiseDefinitionAtEveryLengthAndOffset() {
        Random rnd = new Random(7);
        byte[] data = new byte[300];
        rnd.nextBytes(data);
        for (int from = 0; from < 9; from++) {
            for (int to = from; to <= data.length; to += 1 + to / 20) {
                assertThat(Crc64.of(data, from, to)).as("[%d, %d)", from, to).isEqualTo(referenceCrc(data, from, to));
            }
        }
        long split = Crc64.update(Crc64.of(data, 0, 13), data, 13, 300);
        assertThat(split).isEqualTo(referenceCrc(data, 0, 300));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<Object> samples() {
        Random rnd = new Random(3);
        List<Object> values = new ArrayList<>();
        byte[] noise = new byte[20_000];
        rnd.nextBytes(noise);
        values.add(b("hello"));
        values.add(b("12345"));
        values.add(b("-2147483648"));
        values.add(b("x".repeat(70_000)));
        values.add(noise);
        HashValue small = new HashValue(CTX);
        small.put(b("a"), b("1"));
        values.add(small);
        HashValue big = new HashValue(CTX);
        for (int i = 0; i < 20_000; i++) {
            big.put(b("field:" + i), i % 3 == 0 ? b(Integer.toString(i * 7919)) : b("value-" + "v".repeat(i % 40) + i));
        }
        values.add(big);
        SetValue ints = new SetValue(CTX);
        SetValue words = new SetValue(CTX);
        for (int i = 0; i < 3000; i++) {
            ints.add(b(Integer.toString(i * 1000)));
            words.add(b("member-" + i));
        }
        values.add(ints);
        values.add(words);
        ZSetValue z = new ZSetValue(CTX);
        ListValue l = new ListValue(CTX);
        for (int i = 0; i < 5000; i++) {
            z.put(b("m" + i), i / 3.0);
            l.pushTail(b(i % 2 == 0 ? Integer.toString(i) : "item " + "i".repeat(i % 30)));
        }
        values.add(z);
        values.add(l);
        return values;
    }

    @Test
    void bodySizePredictsTheUncompressedBodyExactly() {
        for (Object v : samples()) {
            RdbOutput out = new RdbOutput(false);
            ValueCodec.writeBody(out, v);
            assertThat(ValueCodec.bodySize(v)).as(v.getClass().getSimpleName()).isEqualTo(out.size());
            byte[] payload = DumpPayload.create(v, false);
            assertThat(payload.length).isEqualTo(1 + out.size() + DumpPayload.FOOTER);
        }
    }

    @Test
    void everySampleRoundTripsWithAndWithoutCompression() throws Exception {
        for (Object v : samples()) {
            for (boolean compress : new boolean[]{true, false}) {
                byte[] payload = DumpPayload.create(v, compress);
                assertThat(DumpPayload.verify(payload)).isTrue();
                Object back = DumpPayload.read(payload, CTX);
                assertThat(content(back)).as("%s compress=%s", v.getClass().getSimpleName(), compress)
                        .isEqualTo(content(v));
            }
        }
    }

    /** A value's content comparable with equals: strings as text, collections in a canonical order. */
    private static Object content(Object v) {
        List<String> items = new ArrayList<>();
        if (v instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        } else if (v instanceof HashValue h) {
            h.forEach((f, x) -> items.add(new String(f, StandardCharsets.ISO_8859_1) + "=" + new String(x, StandardCharsets.ISO_8859_1)));
        } else if (v instanceof SetValue set) {
            set.forEach(m -> items.add(new String(m, StandardCharsets.ISO_8859_1)));
        } else if (v instanceof ZSetValue z) {
            z.forEach(e -> items.add(new String(e.member(), StandardCharsets.ISO_8859_1) + "=" + e.score()));
        } else {
            return List.of((Object[]) ((ListValue) v).toArray()).stream()
                    .map(x -> new String((byte[]) x, StandardCharsets.ISO_8859_1)).toList();
        }
        java.util.Collections.sort(items);
        return items;
    }

    @Test
    void oneCompressorCompressesStringAfterStringCorrectly() throws Exception {
        Random rnd = new Random(11);
        RdbOutput out = new RdbOutput(true);
        List<byte[]> written = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            byte[] s = new byte[21 + rnd.nextInt(3000)];
            for (int j = 0; j < s.length; j++) {
                s[j] = (byte) ('a' + rnd.nextInt(1 + i % 26)); // from very compressible to hardly
            }
            written.add(s);
            out.writeString(s);
        }
        byte[] bytes = out.toByteArray();
        assertThat(bytes.length).isLessThan(written.stream().mapToInt(s -> s.length).sum());
        RdbInput in = new RdbInput(bytes, 0, bytes.length);
        for (byte[] s : written) {
            assertThat(in.readString()).isEqualTo(s);
        }
        assertThat(in.atEnd()).isTrue();
    }

    @Test
    void aRestoredBigHashHasEveryFieldAndTheTableEncoding() throws Exception {
        HashValue h = new HashValue(CTX);
        for (int i = 0; i < 100_000; i++) {
            h.put(b("f" + i), b("v" + i));
        }
        HashValue back = (HashValue) DumpPayload.read(DumpPayload.create(h, true), CTX);
        assertThat(back.size()).isEqualTo(100_000);
        assertThat(back.encoding()).isEqualTo("hashtable");
        for (int i = 0; i < 100_000; i += 997) {
            assertThat(back.get(b("f" + i))).isEqualTo(b("v" + i));
        }
    }

    @Test
    void aCorruptCountReservesNoMoreThanTheInputCanHold() throws Exception {
        RdbOutput out = new RdbOutput(false);
        out.writeByte(RdbConstants.TYPE_HASH);
        out.writeLength(0xffffffffL); // claims 4 billion pairs
        out.writeString(b("f"));
        out.writeString(b("v"));
        out.writeLittleEndian(RdbConstants.RDB_VERSION, 2);
        out.writeLittleEndian(out.crc64(), 8);
        byte[] payload = out.toByteArray();
        assertThat(DumpPayload.verify(payload)).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DumpPayload.read(payload, CTX))
                .isInstanceOf(RdbFormatException.class);
    }
}
