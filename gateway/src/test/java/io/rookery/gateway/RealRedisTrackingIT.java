package io.rookery.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;

/** Client-side caching through the gateway in front of three real redis-server primaries. */
@Tag("gateway")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealRedisTrackingIT extends TrackingScenarios {
    private ClusterUnderTest cluster;
    private Gateway gateway;

    @BeforeAll
    void start() throws Exception {
        cluster = ClusterUnderTest.realRedis(3, 0);
        gateway = new Gateway(GatewayConfig.cluster(0, cluster.seeds()));
        gateway.start();
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    int gatewayPort() {
        return gateway.port();
    }

    @Override
    java.util.List<Integer> primaryPorts() {
        return cluster.ports();
    }

    @Override
    int nodePortOf(String key) {
        return cluster.primaryOf(slot(key));
    }
}
