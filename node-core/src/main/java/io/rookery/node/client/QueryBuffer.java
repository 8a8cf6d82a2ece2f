package io.rookery.node.client;

/**
 * A client's query buffer as Redis sizes it and CLIENT LIST reports it ({@code qbuf}, {@code qbuf-free}):
 * {@link #used()} is the real count of received bytes not yet executed (the running command included,
 * as Redis keeps it in the buffer while it runs), and {@link #capacity()} follows Redis's reservation
 * policy (networking.c readQueryFromClient, server.c clientsCronResizeQueryBuffer):
 * <ul>
 *   <li>each read reserves room for 16 KiB more (PROTO_IOBUF_LEN), or for the rest of a big bulk
 *       (≥ 32 KiB) being received, growing exactly to what is needed while below 16 KiB or for a big
 *       bulk and doubling otherwise (below 1 MiB);</li>
 *   <li>the cron trims a buffer wasting more than 4 KiB: to what is used once the client is idle for
 *       more than 2 seconds, or, above 32 KiB, to the recent peak when it is less than half the buffer;
 *       the peak then restarts from what is used.</li>
 * </ul>
 * The node's own read buffers are Netty's (pooled, released once consumed); this is the accounting
 * Redis's tools and tests read. Touched only by the command thread.
 */
public final class QueryBuffer {
    static final int READ_LEN = 16 * 1024;
    static final int BIG_ARG = 32 * 1024;
    static final int RESIZE_THRESHOLD = 32 * 1024;
    static final int MAX_PREALLOC = 1024 * 1024;
    static final int WASTE_TO_TRIM = 4 * 1024;

    private long capacity;
    private long used;
    private long peak;
    private long bulkLength = -1;

    /**
     * {@code arrived} bytes were received while {@code unconsumed} earlier bytes were still pending;
     * {@code bulkLength} is the length of a bulk being received (-1 when none) and {@code bulkHeld}
     * how much of it is already held.
     */
    public void received(long unconsumed, long arrived, long bulkLength, long bulkHeld) {
        this.bulkLength = bulkLength;
        if (arrived == 0) { // decoding resumed over input already counted (after a pause or a block)
            used = unconsumed + bulkHeld;
            capacity = Math.max(capacity, used);
            return;
        }
        boolean bigArg = bulkLength >= BIG_ARG;
        long readLen = READ_LEN;
        if (bigArg) {
            long remaining = bulkLength + 2 - (unconsumed + bulkHeld);
            if (remaining > 0) {
                readLen = remaining;
            }
        }
        long qbLen = unconsumed + bulkHeld;
        readLen = Math.max(readLen, arrived); // one Netty read may bring more than Redis reads at once
        if (capacity - qbLen < readLen) {
            long needed = qbLen + readLen;
            if (!bigArg && capacity >= READ_LEN && needed < MAX_PREALLOC) {
                needed *= 2;
            }
            capacity = needed;
        }
        used = qbLen + arrived;
        peak = Math.max(peak, used);
    }

    /** What remains pending after executing what could be: {@code unconsumed} bytes plus a partial bulk. */
    public void pending(long unconsumed, long bulkLength, long bulkHeld) {
        this.bulkLength = bulkLength;
        used = unconsumed + bulkHeld;
        capacity = Math.max(capacity, used);
    }

    /** While a command runs: {@code bytes} from its start to the end of what was received. */
    public void running(long bytes) {
        used = bytes;
        capacity = Math.max(capacity, used);
    }

    /** The cron's trim; {@code idleSeconds} since the client's last command. */
    public void cronResize(long idleSeconds) {
        if (capacity - used > WASTE_TO_TRIM) {
            if (idleSeconds > 2) {
                capacity = used;
            } else if (capacity > RESIZE_THRESHOLD && capacity / 2 > peak) {
                long resize = Math.max(used, peak);
                if (bulkLength != -1) {
                    resize = Math.max(resize, bulkLength);
                }
                capacity = resize;
            }
        }
        peak = used;
        if (bulkLength != -1 && bulkLength > peak) {
            peak = bulkLength;
        }
    }

    /** qbuf: bytes received and not yet executed. */
    public long used() {
        return used;
    }

    /** qbuf + qbuf-free. */
    public long capacity() {
        return capacity;
    }

    /** qbuf-free. */
    public long free() {
        return capacity - used;
    }
}
