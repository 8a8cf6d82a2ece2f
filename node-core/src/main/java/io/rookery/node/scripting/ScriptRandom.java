package io.rookery.node.scripting;

/**
 * math.random's generator: the 48-bit linear congruential generator of Redis's rand.c (POSIX
 * lrand48). Redis 7.0 keeps one for the whole server, never reseeded between scripts (only
 * math.randomseed seeds it) and shared by EVAL scripts and functions, surviving SCRIPT FLUSH: so a
 * node's scripts draw the same sequence as Redis's for the same calls since start-up.
 */
final class ScriptRandom {
    static final long MAX = Integer.MAX_VALUE;
    private long x = 0x1234ABCD330EL;

    void seed(int seed) {
        x = ((long) (seed & 0xffffffffL) << 16) | 0x330E;
    }

    long next() {
        x = (0x5DEECE66DL * x + 0xB) & 0xFFFFFFFFFFFFL;
        return x >>> 17;
    }
}
