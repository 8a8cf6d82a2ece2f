package io.rookery.sentinel;

/**
 * Numbers read the way Redis Sentinel reads them from config lines, hellos and INFO (C's atoi and
 * strtoull): the leading digits count, anything after them is ignored, and no digits read as 0.
 */
final class LenientNumbers {
    private LenientNumbers() {
    }

    static long atol(String v) {
        String t = v.trim();
        int end = 0;
        if (end < t.length() && (t.charAt(end) == '-' || t.charAt(end) == '+')) {
            end++;
        }
        while (end < t.length() && Character.isDigit(t.charAt(end))) {
            end++;
        }
        try {
            return Long.parseLong(t.substring(0, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static int atoi(String v) {
        return (int) atol(v);
    }

    /** An unsigned 64-bit value (epochs), 0 when unreadable. */
    static long strtoull(String v) {
        String t = v.trim();
        int end = 0;
        while (end < t.length() && Character.isDigit(t.charAt(end))) {
            end++;
        }
        try {
            return Long.parseUnsignedLong(t.substring(0, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
