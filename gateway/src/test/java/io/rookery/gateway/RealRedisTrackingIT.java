package io.rookery.gateway;

import org.junit.jupiter.api.Tag;

/** Client-side caching through the gateway in front of three real redis-server primaries. */
@Tag("gateway")
class RealRedisTrackingIT extends TrackingScenarios {
    @Override
    ClusterUnderTest startCluster() throws Exception {
        return ClusterUnderTest.realRedis(3, 0);
    }
}
