package io.rookery.protocol;

/**
 * Redis 7.0's request size limits.
 *
 * @param maxBulkLength           {@code proto-max-bulk-len}: the longest bulk string accepted (default 512 MB)
 * @param maxInlineLength         the longest inline request or count line (64 KB, PROTO_INLINE_MAX_SIZE)
 * @param unauthenticatedMaxArgs  the most arguments before AUTH when a password is set (10)
 * @param unauthenticatedMaxBulk  the longest bulk before AUTH when a password is set (16 KB)
 */
public record ProtocolLimits(long maxBulkLength, int maxInlineLength, int unauthenticatedMaxArgs,
                             int unauthenticatedMaxBulk) {

    public static final long DEFAULT_MAX_BULK = 512L * 1024 * 1024;

    public static ProtocolLimits defaults() {
        return new ProtocolLimits(DEFAULT_MAX_BULK, 64 * 1024, 10, 16 * 1024);
    }

    public ProtocolLimits withMaxBulkLength(long max) {
        return new ProtocolLimits(max, maxInlineLength, unauthenticatedMaxArgs, unauthenticatedMaxBulk);
    }
}
