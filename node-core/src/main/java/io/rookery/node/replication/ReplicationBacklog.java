package io.rookery.node.replication;

/**
 * The replication backlog: the last {@code repl-backlog-size} bytes of the replication stream in a
 * ring, so a replica that reconnects with an offset still inside it resumes by partial resync.
 * Offsets are Redis's: {@link #endOffset} is master_repl_offset, the stream's total length.
 */
final class ReplicationBacklog {
    private byte[] ring;
    private long start;     // offset of the oldest byte held (repl_backlog_first_byte_offset - 1)
    private long end;       // offset just past the newest byte (master_repl_offset)
    private int head;       // ring index of the next byte to write

    ReplicationBacklog(int size, long offset) {
        this.ring = new byte[Math.max(16, size)];
        this.start = offset;
        this.end = offset;
    }

    void append(byte[] data, int off, int len) {
        if (len >= ring.length) {
            System.arraycopy(data, off + len - ring.length, ring, 0, ring.length);
            head = 0;
        } else {
            int first = Math.min(len, ring.length - head);
            System.arraycopy(data, off, ring, head, first);
            System.arraycopy(data, off + first, ring, 0, len - first);
            head = (head + len) % ring.length;
        }
        end += len;
        start = Math.max(start, end - ring.length);
    }

    long startOffset() {
        return start;
    }

    long endOffset() {
        return end;
    }

    long size() {
        return ring.length;
    }

    long held() {
        return end - start;
    }

    /** True when the bytes from {@code offset} (the next byte a replica needs) to the end are held. */
    boolean covers(long offset) {
        return offset >= start && offset <= end;
    }

    /** The bytes from {@code offset} to the end. */
    byte[] from(long offset) {
        int n = (int) (end - offset);
        byte[] out = new byte[n];
        int pos = Math.floorMod(head - n, ring.length);
        int first = Math.min(n, ring.length - pos);
        System.arraycopy(ring, pos, out, 0, first);
        System.arraycopy(ring, 0, out, first, n - first);
        return out;
    }

    /** Resizes, keeping as much of the newest data as fits. */
    void resize(int size) {
        long keep = Math.min(held(), size);
        byte[] recent = from(end - keep);
        ring = new byte[Math.max(16, size)];
        head = 0;
        start = end - keep;
        System.arraycopy(recent, 0, ring, 0, recent.length);
        head = recent.length % ring.length;
    }
}
