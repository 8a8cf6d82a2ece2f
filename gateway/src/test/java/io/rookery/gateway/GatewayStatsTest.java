package io.rookery.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GatewayStatsTest {

    @Test
    void aTimingSumsWhatAnyThreadAndEachLoopsShardRecorded() throws Exception {
        GatewayStats stats = new GatewayStats();
        LoopStats loopA = new LoopStats(stats);
        LoopStats loopB = new LoopStats(stats);
        Thread a = new Thread(() -> {
            for (int i = 0; i < 1000; i++) {
                loopA.command("get").record(1_000, i % 10 == 0);
            }
        });
        Thread b = new Thread(() -> {
            for (int i = 0; i < 500; i++) {
                loopB.command("get").record(2_000, false);
            }
        });
        a.start();
        b.start();
        a.join();
        b.join();
        stats.command("get").record(1_000_000, true);

        GatewayStats.Timing get = stats.commands().get("get");
        assertThat(get.count()).isEqualTo(1501);
        assertThat(get.errors()).isEqualTo(101);
        assertThat(get.totalSeconds()).isEqualTo((1000 * 1_000 + 500 * 2_000 + 1_000_000) / 1e9);
        assertThat(stats.commandsProcessed()).isEqualTo(1501);
    }

    @Test
    void aLoopKeepsOneShardPerCommandAndPerBackend() {
        LoopStats loop = new LoopStats(new GatewayStats());
        assertThat(loop.command("set")).isSameAs(loop.command("set"));
        assertThat(loop.backend("127.0.0.1:7000")).isSameAs(loop.backend("127.0.0.1:7000"));
        assertThat(loop.backend("127.0.0.1:7000")).isNotSameAs(loop.backend("127.0.0.1:7001"));
    }

    @Test
    void outsideASocketReadTheLoopClockIsTheSystemClock() {
        LoopStats loop = new LoopStats(new GatewayStats());
        long before = System.nanoTime();
        loop.readStarted();
        long inRead = loop.now();
        assertThat(loop.now()).isEqualTo(inRead);
        loop.readEnded();
        assertThat(inRead).isGreaterThanOrEqualTo(before);
        assertThat(loop.now()).isGreaterThanOrEqualTo(inRead);
    }
}
