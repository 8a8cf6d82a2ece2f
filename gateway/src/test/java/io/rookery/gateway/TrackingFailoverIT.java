package io.rookery.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RedisCli;
import io.rookery.protocol.cluster.SlotHash;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Client-side caching through the gateway while a primary of the real Redis cluster behind it is
 * killed: the tracking client is told to drop everything when the gateway loses the dead primary's
 * invalidations, and again once the promoted replica's are flowing; after that a change on the new
 * primary invalidates the key as before.
 */
@Tag("gateway")
@Tag("cluster")
class TrackingFailoverIT {
    private static final String KEY = "trk:failover";

    @Test
    void aFailoverTellsTheTrackingClientToDropEverythingAndTheNewPrimarysChangesAreHeard() throws Exception {
        try (ClusterUnderTest cluster = ClusterUnderTest.realRedis(3, 1);
             Gateway gateway = new Gateway(GatewayConfig.cluster(0, cluster.seeds()))) {
            gateway.start();
            int slot = SlotHash.slot(KEY.getBytes(StandardCharsets.UTF_8));
            int victim = cluster.primaryOf(slot);
            try (RawConnection tracker = new RawConnection(gateway.port())) {
                tracker.call("HELLO", "3");
                assertThat(TrackingScenarios.call(tracker, "SET", KEY, "before")).isEqualTo("OK");
                assertThat(TrackingScenarios.call(tracker, "WAIT", "1", "5000")).isEqualTo("1");
                assertThat(TrackingScenarios.call(tracker, "CLIENT", "TRACKING", "on")).isEqualTo("OK");
                assertThat(TrackingScenarios.call(tracker, "GET", KEY)).isEqualTo("before");

                cluster.kill(victim);
                assertThat(readWithin(tracker, 30_000)).isEqualTo(">[invalidate null]");
                int survivor = cluster.ports().stream().filter(p -> p != victim).findFirst().orElseThrow();
                ClusterUnderTest.await("a replica promoted in place of the killed primary", () -> {
                    String nodes = RedisCli.run(survivor, "CLUSTER", "NODES");
                    return nodes.lines().anyMatch(l -> l.contains(":" + victim + "@") && l.contains("fail"))
                            && RedisCli.run(survivor, "CLUSTER", "INFO").contains("cluster_state:ok");
                });
                // the promoted replica's listener is ready: writes made there before it was went unheard
                assertThat(readWithin(tracker, 30_000)).isEqualTo(">[invalidate null]");
                assertThat(TrackingScenarios.call(tracker, "GET", KEY)).isEqualTo("before");
                int promoted = cluster.primaryOf(slot);
                assertThat(promoted).isNotEqualTo(victim);
                try (Lettuce direct = Lettuce.connect(promoted, ProtocolVersion.RESP2)) {
                    assertThat(direct.sync().set(KEY, "after")).isEqualTo("OK");
                }
                assertThat(TrackingScenarios.read(tracker)).isEqualTo(">[invalidate [" + KEY + "]]");
                assertThat(TrackingScenarios.call(tracker, "GET", KEY)).isEqualTo("after");
            }
        }
    }

    /** The next frame, waiting up to {@code millis} (the connection's own read timeout is shorter). */
    private static String readWithin(RawConnection c, long millis) throws IOException {
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            try {
                return TrackingScenarios.read(c);
            } catch (SocketTimeoutException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
            }
        }
    }
}
