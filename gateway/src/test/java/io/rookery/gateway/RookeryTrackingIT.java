package io.rookery.gateway;

import org.junit.jupiter.api.Tag;

/** Client-side caching through the gateway in front of three Rookery primaries (in-process nodes). */
@Tag("gateway")
class RookeryTrackingIT extends TrackingScenarios {
    @Override
    ClusterUnderTest startCluster() throws Exception {
        return ClusterUnderTest.rookery(3, 0);
    }
}
