package io.rookery.sentinel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Counts failovers from the event stream: attempts (+try-failover), those this sentinel led to the
 * end (+failover-end), those abandoned (-failover-abort-*), and for every +switch-master the time
 * since the primary went SDOWN here. Counters are read from any thread.
 */
public final class SentinelStats {
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong aborted = new AtomicLong();
    private final AtomicLong switches = new AtomicLong();
    private final Map<String, Long> sdownSince = new HashMap<>(); // the sentinel's thread only
    private final List<LongConsumer> switchLatencyListeners = new CopyOnWriteArrayList<>();

    void record(SentinelEvent e) {
        String type = e.type();
        boolean aboutMaster = e.message().startsWith("master ");
        if (type.equals("+try-failover")) {
            started.incrementAndGet();
        } else if (type.equals("+failover-end")) {
            succeeded.incrementAndGet();
        } else if (type.startsWith("-failover-abort")) {
            aborted.incrementAndGet();
        } else if (type.equals("+sdown") && aboutMaster) {
            sdownSince.putIfAbsent(e.master(), e.atMillis());
        } else if (type.equals("-sdown") && aboutMaster) {
            sdownSince.remove(e.master());
        } else if (type.equals("+switch-master")) {
            switches.incrementAndGet();
            Long since = sdownSince.remove(e.master());
            if (since != null) {
                long millis = e.atMillis() - since;
                switchLatencyListeners.forEach(l -> l.accept(millis));
            }
        }
    }

    public long failoversStarted() {
        return started.get();
    }

    public long failoversSucceeded() {
        return succeeded.get();
    }

    public long failoversAborted() {
        return aborted.get();
    }

    public long switches() {
        return switches.get();
    }

    /** Called with the milliseconds from SDOWN to +switch-master, on the sentinel's thread. */
    public void onSwitchLatency(LongConsumer listener) {
        switchLatencyListeners.add(listener);
    }
}
