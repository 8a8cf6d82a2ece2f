package io.rookery.node.latency;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * LATENCY DOCTOR's report, in Redis's words: per event the number of spikes, their average, mean
 * deviation and period and the worst ever, then the advice that applies to the events seen (slow log
 * settings, large objects, the scheduler, hz, mass eviction, the fsync policy).
 */
public final class LatencyDoctor {
    /** The settings the advice depends on. */
    public record Settings(long thresholdMillis, long slowlogSlowerThanMicros, int hz, boolean fsyncAlways) {
    }

    private LatencyDoctor() {
    }

    public static String report(Map<String, LatencySeries> events, Settings settings, long nowSeconds) {
        if (events.isEmpty() && settings.thresholdMillis() == 0) {
            return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use "
                    + "\"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep "
                    + "space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
        }
        StringBuilder out = new StringBuilder();
        Set<String> advice = new LinkedHashSet<>();
        int n = 0;
        for (Map.Entry<String, LatencySeries> e : events.entrySet()) {
            if (++n == 1) {
                out.append("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n");
            }
            List<LatencySeries.Sample> samples = e.getValue().samples();
            long sum = 0;
            long oldest = Long.MAX_VALUE;
            for (LatencySeries.Sample s : samples) {
                sum += s.millis();
                oldest = Math.min(oldest, s.timeSeconds());
            }
            long avg = samples.isEmpty() ? 0 : sum / samples.size();
            long deviation = 0;
            for (LatencySeries.Sample s : samples) {
                deviation += Math.abs(avg - s.millis());
            }
            long mad = samples.isEmpty() ? 0 : deviation / samples.size();
            long period = samples.isEmpty() ? 0 : Math.max(1, nowSeconds - oldest);
            out.append(String.format(Locale.ROOT,
                    "%d. %s: %d latency spikes (average %dms, mean deviation %dms, period %.2f sec). Worst all time event %dms.\n",
                    n, e.getKey(), samples.size(), avg, mad, samples.isEmpty() ? 0.0 : (double) period / samples.size(),
                    e.getValue().max()));
            adviseFor(e.getKey(), settings, advice);
        }
        if (n == 0) {
            out.append("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. "
                    + "I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n");
        } else if (advice.isEmpty()) {
            out.append("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis "
                    + "community to get some help, providing this report in your help request.\n");
        } else {
            out.append("\nI have a few advices for you:\n\n");
            advice.forEach(a -> out.append("- ").append(a).append('\n'));
        }
        return out.toString();
    }

    private static void adviseFor(String event, Settings s, Set<String> advice) {
        switch (event) {
            case "command" -> {
                if (s.slowlogSlowerThanMicros() < 0) {
                    advice.add("There are latency issues with potentially slow commands you are using. Try to enable the Slow Log "
                            + "Redis feature using the command 'CONFIG SET slowlog-log-slower-than " + s.thresholdMillis() * 1000
                            + "'. If the Slow log is disabled Redis is not able to log slow commands execution for you.");
                } else if (s.slowlogSlowerThanMicros() / 1000 > s.thresholdMillis()) {
                    advice.add("Your current Slow Log configuration only logs events that are slower than your configured latency "
                            + "monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than " + s.thresholdMillis() * 1000 + "'.");
                }
                advice.add("Check your Slow Log to understand what are the commands you are running which are too slow to execute. "
                        + "Please check https://redis.io/commands/slowlog for more information.");
                advice.add(LARGE_OBJECTS);
            }
            case "fast-command" -> advice.add("The system is slow to execute Redis code paths not containing system calls. This "
                    + "usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n"
                    + "  1) Lower the system load.\n"
                    + "  2) Use a computer / VM just for Redis if you are running other software in the same system.\n"
                    + "  3) Check if you have a \"noisy neighbour\" problem.\n"
                    + "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.");
            case "expire-cycle" -> {
                if (s.hz() < 100) {
                    advice.add("In order to make the Redis keys expiring process more incremental, try to set the 'hz' "
                            + "configuration parameter to 100 using 'CONFIG SET hz 100'.");
                }
                advice.add(LARGE_OBJECTS);
            }
            case "eviction-cycle" -> advice.add("Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of "
                    + "large objects via sets or sorted sets intersections, STORE option of SORT, Redis Cluster large keys "
                    + "migrations (RESTORE command), may create sudden memory pressure forcing the server to block trying to evict keys. ");
            case "aof-fsync-always" -> {
                if (s.fsyncAlways()) {
                    advice.add("Your fsync policy is set to 'always'. It is very hard to get good performances with such a setup, "
                            + "if possible try to relax the fsync policy to 'onesec'.");
                }
            }
            default -> {
            }
        }
    }

    private static final String LARGE_OBJECTS = "Deleting, expiring or evicting (because of maxmemory policy) large objects is a "
            + "blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment "
            + "those objects into multiple smaller objects.";
}
