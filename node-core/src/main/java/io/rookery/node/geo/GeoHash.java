package io.rookery.node.geo;

/**
 * Redis's geohash (geohash.c): a longitude/latitude pair quantised to {@code step} bits per axis and
 * interleaved, latitude in the even bits and longitude in the odd bits. A geo set stores each member's
 * 26-step (52-bit) hash, left-aligned to 52 bits, as its sorted-set score.
 *
 * <p>Latitudes are limited to ±85.05112878 (the Web Mercator square), so Redis's hash differs from the
 * standard one; {@link #standardString} re-encodes with the standard ±90 range for GEOHASH.
 *
 * @param bits the interleaved bits (the low {@code 2 * step} bits are used)
 * @param step bits per axis, 1..26 (0 with bits 0 is the "no box" value of a pruned neighbour)
 */
public record GeoHash(long bits, int step) {

    public static final int STEP_MAX = 26;
    public static final double LAT_MIN = -85.05112878;
    public static final double LAT_MAX = 85.05112878;
    public static final double LONG_MIN = -180;
    public static final double LONG_MAX = 180;

    /** The pruned neighbour: no box to search. */
    public static final GeoHash NONE = new GeoHash(0, 0);

    /** An area in degrees: the cell a hash names. */
    public record Area(double longMin, double longMax, double latMin, double latMax) {
    }

    public boolean isNone() {
        return bits == 0 && step == 0;
    }

    /** True when the coordinates are inside Redis's indexable range. */
    public static boolean valid(double longitude, double latitude) {
        return !(longitude < LONG_MIN || longitude > LONG_MAX || latitude < LAT_MIN || latitude > LAT_MAX);
    }

    /** The hash of the coordinates at {@code step}, over Redis's ranges; null when out of range. */
    public static GeoHash encode(double longitude, double latitude, int step) {
        return encode(longitude, latitude, step, LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX);
    }

    static GeoHash encode(double longitude, double latitude, int step,
            double longMin, double longMax, double latMin, double latMax) {
        if (!valid(longitude, latitude)) {
            return null;
        }
        if (latitude < latMin || latitude > latMax || longitude < longMin || longitude > longMax) {
            return null;
        }
        double latOffset = (latitude - latMin) / (latMax - latMin) * (double) (1L << step);
        double longOffset = (longitude - longMin) / (longMax - longMin) * (double) (1L << step);
        return new GeoHash(interleave((long) latOffset & 0xFFFFFFFFL, (long) longOffset & 0xFFFFFFFFL), step);
    }

    /** The 52-bit sorted-set score of a member at these coordinates (the caller checked {@link #valid}). */
    public static long score(double longitude, double latitude) {
        return encode(longitude, latitude, STEP_MAX).align52();
    }

    /** This hash shifted left so that it has 52 significant bits: the score range of its cell starts here. */
    public long align52() {
        return bits << (52 - step * 2);
    }

    /** The cell of this hash over Redis's ranges. */
    public Area area() {
        return area(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX);
    }

    private Area area(double longMin, double longMax, double latMin, double latMax) {
        long separated = deinterleave(bits);
        long lat = separated & 0xFFFFFFFFL;
        long lon = separated >>> 32;
        double cells = (double) (1L << step);
        double latScale = latMax - latMin;
        double longScale = longMax - longMin;
        return new Area(
                longMin + (lon * 1.0 / cells) * longScale,
                longMin + ((lon + 1) * 1.0 / cells) * longScale,
                latMin + (lat * 1.0 / cells) * latScale,
                latMin + ((lat + 1) * 1.0 / cells) * latScale);
    }

    /**
     * The centre of the cell of a stored score, {longitude, latitude}, clamped to the valid range. Like
     * Redis, any score decodes (a score no GEOADD wrote gives some point).
     */
    public static double[] decodeScore(double score) {
        GeoHash hash = new GeoHash(toUnsignedLong(score), STEP_MAX);
        Area a = hash.area();
        double lon = (a.longMin() + a.longMax()) / 2;
        double lat = (a.latMin() + a.latMax()) / 2;
        lon = Math.max(LONG_MIN, Math.min(LONG_MAX, lon));
        lat = Math.max(LAT_MIN, Math.min(LAT_MAX, lat));
        return new double[] {lon, lat};
    }

    /** C's {@code (uint64_t) d} as x86-64 computes it (a negative double wraps as a signed conversion). */
    static long toUnsignedLong(double d) {
        if (d >= 0x1p63) {
            return (long) (d - 0x1p63) ^ Long.MIN_VALUE;
        }
        return (long) d;
    }

    /** GEOHASH's 11-character standard geohash of a stored score (the 11th character is always '0'). */
    public static String standardString(double score) {
        double[] xy = decodeScore(score);
        GeoHash h = encode(xy[0], xy[1], STEP_MAX, -180, 180, -90, 90);
        long bits = h == null ? 0 : h.bits;
        String alphabet = "0123456789bcdefghjkmnpqrstuvwxyz";
        char[] out = new char[11];
        for (int i = 0; i < 11; i++) {
            int idx = i == 10 ? 0 : (int) ((bits >>> (52 - (i + 1) * 5)) & 0x1f);
            out[i] = alphabet.charAt(idx);
        }
        return new String(out);
    }

    // ---------------------------------------------------------------- neighbours

    /** The adjacent cell {@code dx} columns east (positive) or west and {@code dy} rows north or south. */
    public GeoHash moved(int dx, int dy) {
        long b = moveX(bits, dx);
        b = moveY(b, dy);
        return new GeoHash(b, step);
    }

    private long moveX(long hash, int d) {
        if (d == 0) {
            return hash;
        }
        long x = hash & 0xaaaaaaaaaaaaaaaaL;
        long y = hash & 0x5555555555555555L;
        long zz = 0x5555555555555555L >>> (64 - step * 2);
        if (d > 0) {
            x = x + (zz + 1);
        } else {
            x = x | zz;
            x = x - (zz + 1);
        }
        x &= 0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2);
        return x | y;
    }

    private long moveY(long hash, int d) {
        if (d == 0) {
            return hash;
        }
        long x = hash & 0xaaaaaaaaaaaaaaaaL;
        long y = hash & 0x5555555555555555L;
        long zz = 0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2);
        if (d > 0) {
            y = y + (zz + 1);
        } else {
            y = y | zz;
            y = y - (zz + 1);
        }
        y &= 0x5555555555555555L >>> (64 - step * 2);
        return x | y;
    }

    // ---------------------------------------------------------------- bit interleaving

    /** Spreads the low 32 bits of {@code x} to the even bits and of {@code y} to the odd bits. */
    static long interleave(long x, long y) {
        return spread(x) | (spread(y) << 1);
    }

    private static long spread(long v) {
        v = (v | (v << 16)) & 0x0000FFFF0000FFFFL;
        v = (v | (v << 8)) & 0x00FF00FF00FF00FFL;
        v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v << 2)) & 0x3333333333333333L;
        v = (v | (v << 1)) & 0x5555555555555555L;
        return v;
    }

    /** The inverse of {@link #interleave}: even bits in the low word, odd bits in the high word. */
    static long deinterleave(long v) {
        return squeeze(v) | (squeeze(v >>> 1) << 32);
    }

    private static long squeeze(long v) {
        v &= 0x5555555555555555L;
        v = (v | (v >>> 1)) & 0x3333333333333333L;
        v = (v | (v >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v >>> 4)) & 0x00FF00FF00FF00FFL;
        v = (v | (v >>> 8)) & 0x0000FFFF0000FFFFL;
        v = (v | (v >>> 16)) & 0x00000000FFFFFFFFL;
        return v;
    }
}
