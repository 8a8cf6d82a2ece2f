package io.rookery.node.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RdbFormatTest {
    private static final io.rookery.node.types.TypeContext CTX = new io.rookery.node.types.TypeContext(
            new io.rookery.node.keyspace.MemoryCounter(), new io.rookery.node.config.NodeConfig());

    @Test
    void crc64IsRedisJones() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc64.of(check, 0, check.length)).isEqualTo(0xe9c6d914c4b8d9caL);
    }

    @Test
    void onDiskCodesArePinned() {
        assertThat(RdbConstants.RDB_VERSION).isEqualTo(10);
        assertThat(RdbConstants.OPCODE_EOF).isEqualTo(255);
        assertThat(RdbConstants.OPCODE_SELECTDB).isEqualTo(254);
        assertThat(RdbConstants.OPCODE_EXPIRETIME_MS).isEqualTo(252);
        assertThat(RdbConstants.OPCODE_RESIZEDB).isEqualTo(251);
        assertThat(RdbConstants.OPCODE_AUX).isEqualTo(250);
        assertThat(RdbConstants.TYPE_STRING).isZero();
        assertThat(RdbConstants.TYPE_LIST_QUICKLIST_2).isEqualTo(18);
        assertThat(RdbConstants.TYPE_HASH_LISTPACK).isEqualTo(16);
        assertThat(RdbConstants.TYPE_ZSET_LISTPACK).isEqualTo(17);
        assertThat(RdbConstants.TYPE_SET_INTSET).isEqualTo(11);
    }

    @Test
    void stringsRoundTripInEveryEncoding() throws Exception {
        Random rnd = new Random(1);
        byte[] random = new byte[5000];
        rnd.nextBytes(random);
        String[] samples = {"", "0", "-1", "127", "-128", "32767", "65536", "-2147483648", "2147483648", "007",
                "hello", "a".repeat(1000), new String(random, StandardCharsets.ISO_8859_1)};
        for (String s : samples) {
            for (boolean compress : new boolean[]{true, false}) {
                byte[] v = s.getBytes(StandardCharsets.ISO_8859_1);
                byte[] payload = DumpPayload.create(v, compress);
                assertThat(DumpPayload.verify(payload)).isTrue();
                assertThat((byte[]) DumpPayload.read(payload, CTX)).isEqualTo(v);
            }
        }
    }

    @Test
    void smallIntegersUseTheIntegerEncodings() {
        assertThat(DumpPayload.create("12".getBytes(), true)[1] & 0xff).isEqualTo(0xC0);
        assertThat(DumpPayload.create("1000".getBytes(), true)[1] & 0xff).isEqualTo(0xC1);
        assertThat(DumpPayload.create("100000".getBytes(), true)[1] & 0xff).isEqualTo(0xC2);
        assertThat(DumpPayload.create("a".repeat(100).getBytes(), true)[1] & 0xff).isEqualTo(0xC3);
    }

    @Test
    void corruptPayloadsAreRejected() {
        byte[] payload = DumpPayload.create("hello world".getBytes(), false);
        payload[3] ^= 1;
        assertThat(DumpPayload.verify(payload)).isFalse();
        assertThat(DumpPayload.verify(new byte[3])).isFalse();
        byte[] truncated = {0, 50, 'a', 10, 0}; // claims 50 bytes, holds 1
        assertThatThrownBy(() -> DumpPayload.read(withFooter(truncated), CTX)).isInstanceOf(RdbFormatException.class);
    }

    private static byte[] withFooter(byte[] body) {
        byte[] out = java.util.Arrays.copyOf(body, body.length + 8);
        long crc = Crc64.of(out, 0, body.length);
        for (int i = 0; i < 8; i++) {
            out[body.length + i] = (byte) (crc >>> (8 * i));
        }
        return out;
    }
}
