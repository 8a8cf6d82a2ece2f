package io.rookery.node.latency;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * LATENCY over the wire: events past latency-monitor-threshold (LATEST, HISTORY, GRAPH, DOCTOR, RESET),
 * per-command histograms (HISTOGRAM) and INFO latencystats, with Redis's reply shapes.
 */
class LatencyMonitorIT {

    @Test
    void aSlowCommandPastTheThresholdIsACommandEvent() throws Exception {
        try (TestNode node = TestNode.start(c -> load(c, "enable-debug-command", "yes"));
             RawConnection raw = new RawConnection(node.port())) {
            assertThat(raw.call("LATENCY", "LATEST")).isEqualTo(new RespValue.Array(List.of()));
            raw.call("CONFIG", "SET", "latency-monitor-threshold", "90");
            raw.call("DEBUG", "SLEEP", "0.1");
            List<RespValue> latest = ((RespValue.Array) raw.call("LATENCY", "LATEST")).elements();
            assertThat(latest).hasSize(1);
            List<RespValue> event = ((RespValue.Array) latest.get(0)).elements();
            assertThat(((RespValue.BulkString) event.get(0)).text()).isEqualTo("command");
            long latency = ((RespValue.Integer) event.get(2)).value();
            assertThat(latency).isGreaterThanOrEqualTo(100);
            assertThat(((RespValue.Integer) event.get(3)).value()).isGreaterThanOrEqualTo(latency);

            List<RespValue> history = ((RespValue.Array) raw.call("LATENCY", "HISTORY", "command")).elements();
            assertThat(history.get(history.size() - 1)).isEqualTo(new RespValue.Array(List.of(event.get(1), event.get(2))));
            assertThat(raw.call("LATENCY", "HISTORY", "nosuchevent")).isEqualTo(new RespValue.Array(List.of()));

            String graph = ((RespValue.BulkString) raw.call("LATENCY", "GRAPH", "command")).text();
            assertThat(graph).startsWith("command - high ").contains(" ms (all time high " + ((RespValue.Integer) event.get(3)).value()
                    + " ms)\n" + "-".repeat(80) + "\n");
            assertThat(raw.call("LATENCY", "GRAPH", "nosuchevent"))
                    .isEqualTo(new RespValue.Error("ERR No samples available for event 'nosuchevent'"));
            String doctor = ((RespValue.BulkString) raw.call("LATENCY", "DOCTOR")).text();
            assertThat(doctor).startsWith("Dave, I have observed latency spikes in this Redis instance.").contains("1. command: ");

            assertThat(raw.call("LATENCY", "RESET", "nosuchevent")).isEqualTo(new RespValue.Integer(0));
            assertThat(raw.call("LATENCY", "RESET")).isEqualTo(new RespValue.Integer(1));
            assertThat(raw.call("LATENCY", "LATEST")).isEqualTo(new RespValue.Array(List.of()));
        }
    }

    @Test
    void withoutAThresholdNothingIsRecordedAndTheDoctorSaysSo() throws Exception {
        try (TestNode node = TestNode.start(c -> load(c, "enable-debug-command", "yes"));
             RawConnection raw = new RawConnection(node.port())) {
            raw.call("DEBUG", "SLEEP", "0.05");
            assertThat(raw.call("LATENCY", "LATEST")).isEqualTo(new RespValue.Array(List.of()));
            assertThat(((RespValue.BulkString) raw.call("LATENCY", "DOCTOR")).text())
                    .startsWith("I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance.");
            assertThat(raw.call("LATENCY", "HELP", "extra"))
                    .isEqualTo(new RespValue.Error("ERR wrong number of arguments for 'latency|help' command"));
        }
    }

    @Test
    void histogramCountsCallsPerCommandAndSubcommandSinceResetstat() {
        try (TestNode node = TestNode.start(); Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP3)) {
            var r = l.sync();
            r.configResetstat();
            r.set("a", "b");
            r.set("c", "d");
            r.clientId();
            String all = RawHistogram.of(node.port(), "LATENCY", "HISTOGRAM");
            assertThat(all).contains("set -> calls 2 histogram_usec", "config|resetstat -> calls 1", "client|id -> calls 1");
            assertThat(RawHistogram.of(node.port(), "LATENCY", "HISTOGRAM", "client", "nosuchcommand"))
                    .isEqualTo("client|id -> calls 1 histogram_usec " + RawHistogram.buckets(node.port(), "client|id"));
            assertThat(RawHistogram.of(node.port(), "LATENCY", "HISTOGRAM", "blabla")).isEmpty();
        }
    }

    @Test
    void infoLatencystatsPrintsTheConfiguredPercentiles() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection raw = new RawConnection(node.port())) {
            raw.call("SET", "a", "b");
            String stats = ((RespValue.BulkString) raw.call("INFO", "latencystats")).text();
            assertThat(stats).startsWith("# Latencystats").containsPattern("latency_percentiles_usec_set:p50=\\d+\\.\\d{3},p99=\\d+\\.\\d{3},p99\\.9=\\d+\\.\\d{3}");
            assertThat(((RespValue.BulkString) raw.call("INFO")).text()).doesNotContain("latency_percentiles_usec_");
            raw.call("CONFIG", "SET", "latency-tracking-info-percentiles", "50.5 99");
            assertThat(raw.call("CONFIG", "GET", "latency-tracking-info-percentiles")).isEqualTo(new RespValue.Array(List.of(
                    new RespValue.BulkString("latency-tracking-info-percentiles".getBytes()), new RespValue.BulkString("50.5 99".getBytes()))));
            assertThat(((RespValue.BulkString) raw.call("INFO", "latencystats")).text()).containsPattern("latency_percentiles_usec_set:p50\\.5=[\\d.]+,p99=[\\d.]+\r\n");
            assertThat(raw.call("CONFIG", "SET", "latency-tracking-info-percentiles", "101")).isEqualTo(new RespValue.Error(
                    "ERR CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - "
                            + "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"));
            raw.call("CONFIG", "SET", "latency-tracking", "no");
            raw.call("CONFIG", "RESETSTAT");
            raw.call("GET", "a");
            assertThat(raw.call("LATENCY", "HISTOGRAM")).isEqualTo(new RespValue.Array(List.of()));
        }
    }

    @Test
    void aSentinelHasNeitherLatencyNorLatencystats() throws Exception {
        try (TestNode node = TestNode.start(c -> c.sentinelMode = true); RawConnection raw = new RawConnection(node.port())) {
            raw.call("PING");
            assertThat(((RespValue.BulkString) raw.call("INFO", "everything")).text()).doesNotContain("Latencystats");
            assertThat(raw.call("LATENCY", "LATEST")).isInstanceOf(RespValue.Error.class);
        }
    }

    private static void load(io.rookery.node.config.NodeConfig c, String name, String value) {
        try {
            c.load(name, value);
        } catch (io.rookery.node.config.ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    /** LATENCY HISTOGRAM through RESP2 rendered as "name -> calls N histogram_usec b1 c1 ..." lines. */
    private static final class RawHistogram {
        static String of(int port, String... command) {
            try (RawConnection raw = new RawConnection(port)) {
                List<RespValue> flat = ((RespValue.Array) raw.call(command)).elements();
                StringBuilder out = new StringBuilder();
                for (int i = 0; i < flat.size(); i += 2) {
                    if (!out.isEmpty()) {
                        out.append('\n');
                    }
                    out.append(((RespValue.BulkString) flat.get(i)).text()).append(" -> ").append(render(flat.get(i + 1)));
                }
                return out.toString();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static String buckets(int port, String command) {
            String line = of(port, "LATENCY", "HISTOGRAM", command);
            return line.substring(line.indexOf("histogram_usec ") + "histogram_usec ".length());
        }

        private static String render(RespValue v) {
            if (v instanceof RespValue.Array a) {
                return String.join(" ", a.elements().stream().map(RawHistogram::render).toList());
            }
            if (v instanceof RespValue.BulkString b) {
                return b.text();
            }
            return String.valueOf(((RespValue.Integer) v).value());
        }
    }
}
