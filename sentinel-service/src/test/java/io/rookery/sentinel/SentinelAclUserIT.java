package io.rookery.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sentinels that reach the data nodes as an ACL user ({@code sentinel auth-user} + {@code auth-pass})
 * holding only what Redis's documentation gives a Sentinel user: they discover each other through
 * the hello channel and carry out a failover.
 */
@Tag("sentinel")
class SentinelAclUserIT {
    private static final String[] SENTINEL_USER = {"ACL", "SETUSER", "sentinel-user", "on", ">spw", "allchannels",
            "+multi", "+slaveof", "+ping", "+exec", "+subscribe", "+config|rewrite", "+role", "+publish", "+info",
            "+client|setname", "+client|kill", "+script|kill"};

    @Test
    void sentinelsAuthenticateAsAnAclUserAndFailOver() throws Exception {
        try (Topology t = new Topology()) {
            java.util.function.Consumer<io.rookery.node.config.NodeConfig> secured = c -> {
                try {
                    c.load("requirepass", "data-secret");
                    c.load("masterauth", "data-secret");
                } catch (io.rookery.node.config.ConfigException e) {
                    throw new IllegalStateException(e);
                }
            };
            TestNode primary = t.startNode(0, 0, secured);
            TestNode replica = t.startNode(0, primary.port(), secured);
            for (TestNode n : List.of(primary, replica)) {
                try (RawConnection c = new RawConnection(n.port())) {
                    c.call("AUTH", "data-secret");
                    assertThat(c.call(SENTINEL_USER)).isEqualTo(new RespValue.SimpleString("OK"));
                }
            }
            for (int i = 0; i < 2; i++) {
                Path dir = Files.createTempDirectory("sentinel");
                Path file = dir.resolve("sentinel.conf");
                Files.write(file, List.of("sentinel monitor mymaster 127.0.0.1 " + primary.port() + " 2",
                        "sentinel auth-user mymaster sentinel-user", "sentinel auth-pass mymaster spw"));
                t.startSentinel(file);
            }
            t.awaitDiscovery(1, Duration.ofSeconds(20)); // hellos published and read as sentinel-user
            try (RawConnection c = new RawConnection(t.sentinels.get(0).port())) {
                assertThat(c.call("SENTINEL", "FAILOVER", "mymaster")).isEqualTo(new RespValue.SimpleString("OK"));
            }
            Topology.await("the failover carried out as sentinel-user", Duration.ofSeconds(20), () ->
                    !Topology.isReplica(t.nodes.get(1)));
        }
    }
}
