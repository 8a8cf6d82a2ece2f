package io.rookery.node.latency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The latency monitor's series and the per-command histogram, as Redis keeps and reports them. */
class LatencySeriesTest {

    @Test
    void aSecondSpikeInTheSameSecondRaisesThatSecondsSample() {
        LatencyMonitor m = new LatencyMonitor(() -> 10);
        m.add("command", 15, 1000);
        m.add("command", 12, 1000);
        m.add("command", 30, 1000);
        m.add("command", 11, 1001);
        LatencySeries s = m.event("command");
        assertThat(s.samples()).containsExactly(new LatencySeries.Sample(1000, 30), new LatencySeries.Sample(1001, 11));
        assertThat(s.latest()).isEqualTo(new LatencySeries.Sample(1001, 11));
        assertThat(s.max()).isEqualTo(30);
    }

    @Test
    void theRingKeepsTheLast160SamplesOldestFirst() {
        LatencyMonitor m = new LatencyMonitor(() -> 1);
        for (int t = 1; t <= 200; t++) {
            m.add("expire-cycle", t, t);
        }
        List<LatencySeries.Sample> samples = m.event("expire-cycle").samples();
        assertThat(samples).hasSize(LatencySeries.CAPACITY);
        assertThat(samples.get(0)).isEqualTo(new LatencySeries.Sample(41, 41));
        assertThat(samples.get(samples.size() - 1)).isEqualTo(new LatencySeries.Sample(200, 200));
    }

    @Test
    void belowTheThresholdOrWithoutOneNothingIsSampled() {
        long[] threshold = {0};
        LatencyMonitor m = new LatencyMonitor(() -> threshold[0]);
        m.sampleIfNeeded("command", 500);
        assertThat(m.events()).isEmpty();
        threshold[0] = 100;
        m.sampleIfNeeded("command", 99);
        assertThat(m.events()).isEmpty();
        m.sampleIfNeeded("command", 100);
        assertThat(m.events()).containsKey("command");
        assertThat(m.reset("nosuch")).isZero();
        assertThat(m.resetAll()).isEqualTo(1);
    }

    @Test
    void histogramStepsAreNamedByTheirHighestEquivalentMicrosecond() {
        CommandLatencyHistogram h = new CommandLatencyHistogram();
        for (int i = 0; i < 16; i++) {
            h.record(7_000); // 7 µs, as Redis records a call's µs in ns
        }
        for (int i = 0; i < 4; i++) {
            h.record(10_000);
        }
        assertThat(h.calls()).isEqualTo(20);
        assertThat(h.cumulativeBuckets()).containsExactly(new CommandLatencyHistogram.Bucket(8, 16),
                new CommandLatencyHistogram.Bucket(16, 20));
        assertThat(h.percentileMicros(50)).isEqualTo(7.007);
        assertThat(h.percentileMicros(99)).isEqualTo(10.047);
    }

    @Test
    void callsLongerThanASecondCountAsOneSecond() {
        CommandLatencyHistogram h = new CommandLatencyHistogram();
        h.record(301_989_000L);
        h.record(5_000_000_000L);
        List<CommandLatencyHistogram.Bucket> buckets = h.cumulativeBuckets();
        assertThat(buckets.get(0)).isEqualTo(new CommandLatencyHistogram.Bucket(541_065, 1));
        assertThat(buckets.get(buckets.size() - 1).cumulativeCount()).isEqualTo(2);
    }
}
