package io.rookery.node.dispatch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * SLOWLOG: commands that ran longer than {@code slowlog-log-slower-than} microseconds, newest first,
 * at most {@code slowlog-max-len}. Arguments are clipped as Redis clips them: at most 32 (the last
 * saying how many more), each at most 128 bytes (then "... (N more bytes)").
 */
public final class SlowLog {
    public record Entry(long id, long timestampSeconds, long micros, List<byte[]> args, String peer, String clientName) {
    }

    private static final int MAX_ARGS = 32;
    private static final int MAX_ARG_LEN = 128;

    private final Deque<Entry> entries = new ArrayDeque<>();
    private long nextId;

    public void add(byte[][] args, long micros, String peer, String clientName, long maxLen) {
        int n = Math.min(args.length, MAX_ARGS);
        List<byte[]> kept = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (n < args.length && i == n - 1) {
                kept.add(Args.bytes("... (" + (args.length - MAX_ARGS + 1) + " more arguments)"));
            } else if (args[i].length > MAX_ARG_LEN) {
                byte[] head = java.util.Arrays.copyOf(args[i], MAX_ARG_LEN);
                byte[] tail = Args.bytes("... (" + (args[i].length - MAX_ARG_LEN) + " more bytes)");
                byte[] both = java.util.Arrays.copyOf(head, head.length + tail.length);
                System.arraycopy(tail, 0, both, head.length, tail.length);
                kept.add(both);
            } else {
                kept.add(args[i]);
            }
        }
        entries.addFirst(new Entry(nextId++, System.currentTimeMillis() / 1000, micros, kept, peer, clientName));
        trim(maxLen);
    }

    public void trim(long maxLen) {
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }

    public List<Entry> newest(long count) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (out.size() >= count) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    public int size() {
        return entries.size();
    }

    public void reset() {
        entries.clear();
    }
}
