package io.rookery.gateway;

import java.util.Arrays;

/**
 * The requests a backend link waits on, oldest first: each one's {@link Receiver} and deadline, in two
 * parallel rings that grow by doubling. A queue of records would allocate one object per request on
 * the gateway's busiest path; these arrays are allocated once per link (and again only to grow).
 * Owned by one event loop.
 */
final class WaitingRequests {
    private Receiver[] receivers = new Receiver[16];
    private long[] deadlines = new long[16];
    private int head;
    private int size;

    /** Appends a request answered by {@code receiver}; {@code deadlineNanos} 0 means no deadline. */
    void add(Receiver receiver, long deadlineNanos) {
        if (size == receivers.length) {
            grow();
        }
        int at = (head + size) & (receivers.length - 1);
        receivers[at] = receiver;
        deadlines[at] = deadlineNanos;
        size++;
    }

    /** Removes and returns the oldest request's receiver, or null when none waits. */
    Receiver poll() {
        if (size == 0) {
            return null;
        }
        Receiver r = receivers[head];
        receivers[head] = null;
        head = (head + 1) & (receivers.length - 1);
        size--;
        return r;
    }

    /** The oldest request's deadline (0: none); only when {@link #size()} is positive. */
    long oldestDeadline() {
        return deadlines[head];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    private void grow() {
        int n = receivers.length;
        Receiver[] r = new Receiver[n * 2];
        long[] d = new long[n * 2];
        for (int i = 0; i < size; i++) {
            int from = (head + i) & (n - 1);
            r[i] = receivers[from];
            d[i] = deadlines[from];
        }
        Arrays.fill(receivers, null);
        receivers = r;
        deadlines = d;
        head = 0;
    }
}
