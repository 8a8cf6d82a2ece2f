package io.rookery.gateway;

/**
 * The cursor SCAN hands a client of the gateway: the low {@value #INDEX_BITS} bits name the primary
 * being walked (its place in the sorted list of primaries), the rest is that primary's own cursor. A
 * primary's last page (its cursor 0) moves the walk to the next primary; the last primary's ends it.
 */
final class ScanCursor {
    static final int INDEX_BITS = 10;
    private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;

    /** A decoded cursor: which primary, and where in it. */
    record Position(int primary, long cursor) {
    }

    private ScanCursor() {
    }

    /** The position a client's cursor names; null when it is not a cursor of ours for {@code primaries}. */
    static Position decode(String text, int primaries) {
        long combined;
        try {
            combined = Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
        int index = (int) (combined & INDEX_MASK);
        return index < primaries ? new Position(index, combined >>> INDEX_BITS) : null;
    }

    /**
     * The cursor to hand back after primary {@code index} answered {@code next}; -1 when that primary's
     * cursor is too large to combine.
     */
    static long next(int index, long next, int primaries) {
        if (next == 0) {
            return index + 1 < primaries ? index + 1 : 0;
        }
        if ((next >>> (64 - INDEX_BITS)) != 0) {
            return -1;
        }
        return (next << INDEX_BITS) | index;
    }
}
