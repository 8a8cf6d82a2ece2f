package io.rookery.node.hll;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Redis's HLL layouts, with bytes real redis-server 7.0.15 writes for the same elements. */
class HyperLogLogTest {
    private static final long MAX_SPARSE = 3000;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anEmptyHllIsSparseWithOneXzeroOpcodeAndAZeroCachedCount() {
        HyperLogLog h = HyperLogLog.empty();
        assertThat(HexFormat.of().formatHex(h.toBytes())).isEqualTo("48594c4c01000000" + "0000000000000000" + "7fff");
    }

    @Test
    void elementsLandInTheRegistersRedisPicks() {
        HyperLogLog h = HyperLogLog.empty();
        assertThat(h.add(b("a"), MAX_SPARSE)).isEqualTo(1);
        assertThat(h.decodeSparse()).isEqualTo("Z:12711 v:2,1 Z:3672");
        HyperLogLog two = HyperLogLog.empty();
        two.add(b("hello"), MAX_SPARSE);
        two.add(b("world"), MAX_SPARSE);
        two.invalidateCache();
        assertThat(HexFormat.of().formatHex(two.toBytes()))
                .isEqualTo("48594c4c010000000000000000000080" + "4ab5885948805bfe");
        assertThat(two.decodeSparse()).isEqualTo("Z:2742 v:3,1 Z:6473 v:1,1 Z:7167");
    }

    @Test
    void addingTheSameElementChangesNothing() {
        HyperLogLog h = HyperLogLog.empty();
        h.add(b("x"), MAX_SPARSE);
        assertThat(h.add(b("x"), MAX_SPARSE)).isZero();
    }

    @Test
    void sparseAndDenseCountTheSame() {
        HyperLogLog sparse = HyperLogLog.empty();
        HyperLogLog dense = HyperLogLog.empty();
        assertThat(dense.toDense()).isTrue();
        for (int i = 0; i < 1000; i++) {
            sparse.add(b("e" + i), 100_000);
            dense.add(b("e" + i), 100_000);
        }
        assertThat(sparse.encoding()).isEqualTo(HyperLogLog.SPARSE);
        assertThat(dense.toBytes()).hasSize(HyperLogLog.DENSE_SIZE);
        assertThat(sparse.count()).isEqualTo(dense.count()).isBetween(980L, 1020L);
        assertThat(sparse.toDense()).isTrue();
        dense.invalidateCache(); // PFADD marks the cache stale; the sparse path does it itself
        assertThat(java.util.Arrays.equals(sparse.toBytes(), dense.toBytes())).isTrue();
    }

    @Test
    void aSparseHllPastTheLimitTurnsDense() {
        HyperLogLog h = HyperLogLog.empty();
        for (int i = 0; i < 200; i++) {
            h.add(b("e" + i), 100);
        }
        assertThat(h.encoding()).isEqualTo(HyperLogLog.DENSE);
    }

    @Test
    void opcodesPastTheLastRegisterMakeTheCountFail() {
        byte[] v = HyperLogLog.empty().toBytes();
        byte[] longer = java.util.Arrays.copyOf(v, v.length + 1);
        longer[v.length] = (byte) 0x80; // one more VAL opcode past register 16383
        assertThat(HyperLogLog.isValid(longer)).isTrue();
        assertThat(HyperLogLog.of(longer).count()).isEqualTo(-1);
        byte[] shorter = java.util.Arrays.copyOf(v, v.length - 1);
        assertThat(HyperLogLog.of(shorter).toDense()).as("a truncated XZERO covers too few registers").isFalse();
    }

    @Test
    void headerChecksRejectOtherStrings() {
        assertThat(HyperLogLog.isValid(b("hello"))).isFalse();
        assertThat(HyperLogLog.isValid(b("HYLL\u0002xxxxxxxxxxxxxxxx"))).isFalse();
        assertThat(HyperLogLog.isValid(b("HYLL\u0000xxxxxxxxxxxxxxxx"))).as("dense but not 12304 bytes").isFalse();
    }

    @Test
    void theCachedCardinalityIsLittleEndianWithAStaleBit() {
        HyperLogLog h = HyperLogLog.empty();
        assertThat(h.cachedCardinality()).isZero();
        h.invalidateCache();
        assertThat(h.cachedCardinality()).isEqualTo(-1);
        h.cacheCardinality(0x0102);
        assertThat(h.toBytes()[8]).isEqualTo((byte) 2);
        assertThat(h.toBytes()[9]).isEqualTo((byte) 1);
        assertThat(h.cachedCardinality()).isEqualTo(0x0102);
    }

    @Test
    void theSelfTestPasses() {
        assertThat(HyperLogLogSelfTest.run(MAX_SPARSE)).isNull();
    }
}
