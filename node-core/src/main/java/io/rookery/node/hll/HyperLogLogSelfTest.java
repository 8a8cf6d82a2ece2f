package io.rookery.node.hll;

import java.util.concurrent.ThreadLocalRandom;

/**
 * PFSELFTEST (Redis's pfselftestCommand): the dense register packing round-trips random values, and
 * ten million distinct elements added to a dense and a sparse HLL give the same counts, within six
 * standard errors of the truth at every power of ten.
 */
public final class HyperLogLogSelfTest {
    private HyperLogLogSelfTest() {
    }

    /** Null when every check passes, otherwise the error Redis replies ("TESTFAILED ..."). */
    public static String run(long sparseMaxBytes) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] registers = new byte[HyperLogLog.DENSE_SIZE - HyperLogLog.HEADER + 1];
        int[] expected = new int[HyperLogLog.REGISTERS];
        for (int cycle = 0; cycle < 1000; cycle++) {
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                int r = random.nextInt() & HyperLogLog.REGISTER_MAX;
                expected[i] = r;
                HyperLogLog.denseSetRaw(registers, 0, i, r);
            }
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                int v = HyperLogLog.denseGet(registers, 0, i);
                if (v != expected[i]) {
                    return "TESTFAILED Register " + i + " should be " + expected[i] + " but is " + v;
                }
            }
        }
        HyperLogLog dense = HyperLogLog.empty();
        dense.toDense();
        HyperLogLog sparse = HyperLogLog.empty();
        double relerr = 1.04 / Math.sqrt(HyperLogLog.REGISTERS);
        long checkpoint = 1;
        long seed = random.nextLong();
        byte[] ele = new byte[8];
        for (long j = 1; j <= 10_000_000; j++) {
            long e = j ^ seed;
            for (int b = 0; b < 8; b++) {
                ele[b] = (byte) (e >>> (8 * b));
            }
            dense.add(ele, sparseMaxBytes);
            sparse.add(ele, sparseMaxBytes);
            if (j != checkpoint) {
                continue;
            }
            if (j < sparseMaxBytes / 2 && sparse.encoding() != HyperLogLog.SPARSE) {
                return "TESTFAILED sparse encoding not used";
            }
            long count = dense.count();
            if (count != sparse.count()) {
                return "TESTFAILED dense/sparse disagree";
            }
            long abserr = Math.abs(checkpoint - count);
            long maxerr = (long) Math.ceil(relerr * 6 * checkpoint);
            if (j == 10) {
                maxerr = 1;
            }
            if (abserr > maxerr) {
                return "TESTFAILED Too big error. card:" + checkpoint + " abserr:" + abserr;
            }
            checkpoint *= 10;
        }
        return null;
    }
}
