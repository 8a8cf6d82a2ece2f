package io.rookery.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;

/** The gateway in front of three Rookery primaries (in-process nodes, cluster mode): cluster-unaware clients work through it. */
@Tag("gateway")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RookeryClusterIT extends GatewayScenarios {
    private ClusterUnderTest cluster;
    private Gateway gateway;

    @BeforeAll
    void start() throws Exception {
        cluster = ClusterUnderTest.rookery(3, 0);
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
}
