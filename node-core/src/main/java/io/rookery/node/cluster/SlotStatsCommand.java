package io.rookery.node.cluster;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.node.cluster.SlotStatsReport.Metric;
import io.rookery.protocol.RespWriter;
import java.util.Arrays;

/**
 * {@code CLUSTER SLOT-STATS SLOTSRANGE start end | ORDERBY metric [LIMIT n] [ASC|DESC]}, with Valkey
 * 8's syntax, reply and errors: an array of {@code [slot, {metric: value, ...}]} for the slots of this
 * node's shard, in slot order for SLOTSRANGE, by the metric (descending unless ASC, ties by slot) for
 * ORDERBY, at most {@code LIMIT} (1..16384) entries. The map holds {@code key-count} only, or, with
 * {@code cluster-slot-stats-enabled yes}, also {@code cpu-usec}, {@code network-bytes-in},
 * {@code network-bytes-out} and Rookery's {@code memory-bytes}; ORDERBY accepts only metrics the map
 * shows.
 */
final class SlotStatsCommand {
    private final Keyspace keyspace;

    SlotStatsCommand(Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    void execute(Client c, byte[][] a, Cluster k) {
        SlotStatsReport report = new SlotStatsReport(k, keyspace.db(0));
        if (a.length == 5 && Args.is(a[2], "SLOTSRANGE")) {
            int start = ClusterCommands.slot(a[3]);
            int end = ClusterCommands.slot(a[4]);
            if (start > end) {
                throw new CommandError("ERR Start slot number " + start + " is greater than end slot number " + end);
            }
            int[] slots = new int[end - start + 1];
            int n = 0;
            for (int s = start; s <= end; s++) {
                if (report.inMyShard(s)) {
                    slots[n++] = s;
                }
            }
            reply(c.reply(), report, slots, n);
        } else if (a.length >= 4 && Args.is(a[2], "ORDERBY")) {
            orderBy(c, a, report);
        } else {
            throw new CommandError("ERR unknown subcommand or wrong number of arguments for '" + Args.text(a[1])
                    + "'. Try CLUSTER HELP.");
        }
    }

    private static void orderBy(Client c, byte[][] a, SlotStatsReport report) {
        Metric metric = Metric.named(Args.text(a[3]));
        if (metric == null || metric != Metric.KEY_COUNT && !report.detailed()) {
            throw new CommandError("ERR Unrecognized sort metric for ORDERBY.");
        }
        boolean desc = true;
        long limit = ClusterState.SLOTS;
        int limits = 0;
        int orders = 0;
        for (int i = 4; i < a.length; i++) {
            if (Args.is(a[i], "LIMIT") && i + 1 < a.length) {
                limit = limit(a[++i]);
                limits++;
            } else if (Args.is(a[i], "ASC")) {
                desc = false;
                orders++;
            } else if (Args.is(a[i], "DESC")) {
                desc = true;
                orders++;
            } else {
                throw Errors.syntax();
            }
            if (limits > 1 || orders > 1) {
                throw new CommandError("ERR Multiple filters of the same type are disallowed.");
            }
        }
        long[] values = new long[ClusterState.SLOTS];
        int n = 0;
        int[] slots = new int[ClusterState.SLOTS];
        for (int s = 0; s < ClusterState.SLOTS; s++) {
            if (report.inMyShard(s)) {
                values[s] = report.value(s, metric);
                slots[n++] = s;
            }
        }
        long[][] pairs = new long[n][];
        for (int i = 0; i < n; i++) {
            pairs[i] = new long[] {values[slots[i]], slots[i]};
        }
        boolean descending = desc;
        Arrays.sort(pairs, (x, y) -> x[0] != y[0] ? (descending ? Long.compare(y[0], x[0]) : Long.compare(x[0], y[0]))
                : Long.compare(x[1], y[1]));
        int len = (int) Math.min(limit, n);
        for (int i = 0; i < len; i++) {
            slots[i] = (int) pairs[i][1];
        }
        reply(c.reply(), report, slots, len);
    }

    /** LIMIT's argument: an integer in 1..16384, Valkey's one message for anything else. */
    private static long limit(byte[] arg) {
        long v;
        try {
            v = Long.parseLong(Args.text(arg));
        } catch (NumberFormatException e) {
            v = 0;
        }
        if (v < 1 || v > ClusterState.SLOTS) {
            throw new CommandError("ERR Limit has to lie in between 1 and 16384 (maximum number of slots).");
        }
        return v;
    }

    private static void reply(RespWriter r, SlotStatsReport report, int[] slots, int n) {
        boolean detailed = report.detailed();
        r.array(n);
        for (int i = 0; i < n; i++) {
            int slot = slots[i];
            r.array(2);
            r.integer(slot);
            if (!detailed) {
                r.map(1);
                entry(r, report, slot, Metric.KEY_COUNT);
                continue;
            }
            r.map(Metric.values().length);
            for (Metric m : Metric.values()) {
                entry(r, report, slot, m);
            }
        }
    }

    private static void entry(RespWriter r, SlotStatsReport report, int slot, Metric m) {
        r.bulk(m.wireName());
        r.integer(report.value(slot, m));
    }
}
