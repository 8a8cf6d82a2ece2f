package io.rookery.node.command;

import io.rookery.node.client.Client;
import io.rookery.node.config.LatencyPercentiles;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.Command;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.info.InfoReport;
import io.rookery.node.info.InfoWriter;
import io.rookery.node.latency.CommandLatencyHistogram;
import io.rookery.node.latency.LatencyDoctor;
import io.rookery.node.latency.LatencyGraph;
import io.rookery.node.latency.LatencyMonitor;
import io.rookery.node.latency.LatencySeries;
import io.rookery.protocol.RespWriter;
import io.rookery.protocol.command.CommandSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * LATENCY: the latency monitor's events (LATEST, HISTORY, GRAPH, DOCTOR, RESET) and the per-command
 * latency histograms (HISTOGRAM), with Redis 7.0's reply shapes; and INFO latencystats, the histograms'
 * percentiles named by {@code latency-tracking-info-percentiles}.
 */
final class LatencyCommands extends CommandGroup {

    private final InfoReport info;

    LatencyCommands(CommandBasics basics, InfoReport info) {
        super(basics);
        this.info = info;
    }

    void register(CommandRegistry r) {
        r.register("latency|latest", this::latest)
                .register("latency|history", this::history)
                .register("latency|graph", this::graph)
                .register("latency|doctor", (c, a) -> c.reply().verbatim("txt", LatencyDoctor.report(monitor().events(),
                        new LatencyDoctor.Settings(config.latencyMonitorThreshold, config.slowlogLogSlowerThan, config.hz,
                                config.appendfsync.equals("always")), nowSeconds())))
                .register("latency|reset", this::reset)
                .register("latency|histogram", this::histogram)
                .register("latency|help", (c, a) -> Help.reply(c.reply(), "LATENCY",
                        "DOCTOR", "    Return a human readable latency analysis report.",
                        "GRAPH <event>", "    Return an ASCII latency graph for the <event> class.",
                        "HISTORY <event>", "    Return time-latency samples for the <event> class.",
                        "LATEST", "    Return the latest latency samples for all events.",
                        "RESET [<event> ...]", "    Reset latency data of one or more <event> classes.",
                        "    (default: reset all data for all event classes)",
                        "HISTOGRAM [COMMAND ...]", "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
                        "    If no commands are specified then all histograms are replied."));
        if (r.get("latency|latest") != null) { // not on a sentinel: its INFO has no latencystats, as redis-sentinel's
            info.section("latencystats", out -> latencyStats(r, config.latencyTrackingInfoPercentiles, out));
        }
    }

    private LatencyMonitor monitor() {
        return dispatcher.latencyMonitor();
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    /** Per event: name, time of the latest sample, its latency, the all-time maximum. */
    private void latest(Client c, byte[][] a) {
        Map<String, LatencySeries> events = monitor().events();
        c.reply().array(events.size());
        events.forEach((name, series) -> {
            LatencySeries.Sample last = series.latest();
            c.reply().array(4);
            c.reply().bulk(name);
            c.reply().integer(last.timeSeconds());
            c.reply().integer(last.millis());
            c.reply().integer(series.max());
        });
    }

    /** The event's samples, oldest first, as [time, latency] pairs; an unknown event gives an empty array. */
    private void history(Client c, byte[][] a) {
        LatencySeries series = monitor().event(Args.text(a[2]));
        List<LatencySeries.Sample> samples = series == null ? List.of() : series.samples();
        c.reply().array(samples.size());
        for (LatencySeries.Sample s : samples) {
            c.reply().array(2);
            c.reply().integer(s.timeSeconds());
            c.reply().integer(s.millis());
        }
    }

    private void graph(Client c, byte[][] a) {
        String event = Args.text(a[2]);
        LatencySeries series = monitor().event(event);
        if (series == null) {
            throw new CommandError("ERR No samples available for event '" + event + "'");
        }
        c.reply().verbatim("txt", LatencyGraph.render(event, series, nowSeconds()));
    }

    /** Without names forgets every event; with names, those; replies how many events were forgotten. */
    private void reset(Client c, byte[][] a) {
        if (a.length == 2) {
            c.reply().integer(monitor().resetAll());
            return;
        }
        int resets = 0;
        for (int i = 2; i < a.length; i++) {
            resets += monitor().reset(Args.text(a[i]));
        }
        c.reply().integer(resets);
    }

    /**
     * A map of command full name → {calls, histogram_usec}: every command with calls when no names are
     * given, else the named ones (a container name includes its subcommands); unknown names are skipped.
     */
    private void histogram(Client c, byte[][] a) {
        List<Command> found = new ArrayList<>();
        CommandRegistry registry = dispatcher.registry();
        if (a.length == 2) {
            for (CommandSpec spec : registry.table().commands()) {
                addWithSubcommands(registry, spec, found);
            }
        } else {
            for (int i = 2; i < a.length; i++) {
                String name = Args.text(a[i]).toLowerCase(Locale.ROOT);
                int bar = name.indexOf('|');
                if (bar >= 0) {
                    addIfCalled(registry.get(name), found);
                } else {
                    CommandSpec spec = registry.table().lookup(a[i]);
                    if (spec != null) {
                        addWithSubcommands(registry, spec, found);
                    }
                }
            }
        }
        RespWriter r = c.reply();
        r.map(found.size());
        for (Command cmd : found) {
            CommandLatencyHistogram h = cmd.latencyHistogram();
            r.bulk(cmd.spec().name());
            r.map(2);
            r.bulk("calls");
            r.integer(h.calls());
            r.bulk("histogram_usec");
            List<CommandLatencyHistogram.Bucket> buckets = h.cumulativeBuckets();
            r.map(buckets.size());
            for (CommandLatencyHistogram.Bucket b : buckets) {
                r.integer(b.micros());
                r.integer(b.cumulativeCount());
            }
        }
    }

    private static void addWithSubcommands(CommandRegistry registry, CommandSpec spec, List<Command> found) {
        addIfCalled(registry.get(spec), found);
        if (spec.isContainer()) {
            for (CommandSpec sub : spec.subcommands().values()) {
                addIfCalled(registry.get(sub), found);
            }
        }
    }

    private static void addIfCalled(Command cmd, List<Command> found) {
        if (cmd != null && cmd.latencyHistogram() != null && !found.contains(cmd)) {
            found.add(cmd);
        }
    }

    /** INFO latencystats: per command with calls, its configured percentiles in microseconds. */
    private static void latencyStats(CommandRegistry registry, double[] percentiles, InfoWriter out) {
        for (CommandSpec spec : registry.table().commands()) {
            List<Command> cmds = new ArrayList<>();
            addWithSubcommands(registry, spec, cmds);
            for (Command cmd : cmds) {
                StringBuilder value = new StringBuilder();
                for (double p : percentiles) {
                    if (!value.isEmpty()) {
                        value.append(',');
                    }
                    value.append('p').append(LatencyPercentiles.format(p)).append('=')
                            .append(String.format(Locale.ROOT, "%.3f", cmd.latencyHistogram().percentileMicros(p)));
                }
                out.field("latency_percentiles_usec_" + cmd.spec().name(), value.toString());
            }
        }
    }
}
