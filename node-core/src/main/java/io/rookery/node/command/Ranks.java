package io.rookery.node.command;

/**
 * Redis's index ranges (LRANGE, LTRIM, ZRANGE, ZREMRANGEBYRANK): negative indexes count from the
 * end, the start is clamped at 0 and the end at the last element.
 */
record Ranks(int from, int to) {

    /** Inclusive positions within {@code size} elements; {@link #isEmpty()} when nothing is selected. */
    static Ranks of(long start, long stop, long size) {
        if (start < 0) {
            start = size + start;
        }
        if (stop < 0) {
            stop = size + stop;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > stop || start >= size) {
            return new Ranks(0, -1);
        }
        if (stop >= size) {
            stop = size - 1;
        }
        return new Ranks((int) start, (int) stop);
    }

    boolean isEmpty() {
        return to < from;
    }
}
