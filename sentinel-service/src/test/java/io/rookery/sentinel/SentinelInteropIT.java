package io.rookery.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Interop with the real thing (Debian's redis-server and redis-sentinel, installed by .ci/run):
 * Rookery sentinels fail over real Redis servers, and real Redis sentinels fail over Rookery nodes.
 */
@Tag("interop")
class SentinelInteropIT {

    private static String role(int port) {
        try (RawConnection c = new RawConnection(port)) {
            RespValue r = c.call("ROLE");
            return ((RespValue.BulkString) ((RespValue.Array) r).elements().get(0)).text();
        } catch (IOException | RuntimeException e) {
            return "unreachable";
        }
    }

    private static String info(int port, String field) {
        try (RawConnection c = new RawConnection(port)) {
            RespValue r = c.call("INFO", "replication");
            String text = r instanceof RespValue.BulkString b ? b.text() : ((RespValue.Verbatim) r).text();
            for (String line : text.split("\r\n")) {
                if (line.startsWith(field + ":")) {
                    return line.substring(field.length() + 1);
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    @Test
    void rookerySentinelsFailOverRealRedisServers() {
        List<RealRedis> servers = new ArrayList<>();
        try (Topology t = new Topology()) {
            RealRedis primary = RealRedis.start();
            servers.add(primary);
            servers.add(RealRedis.start("--replicaof", "127.0.0.1", Integer.toString(primary.port())));
            servers.add(RealRedis.start("--replicaof", "127.0.0.1", Integer.toString(primary.port())));
            for (int i = 0; i < 3; i++) {
                t.startSentinel(primary.port(), 2, 1000);
            }
            t.awaitDiscovery(2, Duration.ofSeconds(20));
            primary.kill();
            Topology.await("+switch-master on every sentinel", Duration.ofSeconds(30), () ->
                    t.events.stream().filter(r -> r.event().type().equals("+switch-master"))
                            .map(Topology.Recorded::sentinel).distinct().count() == 3);
            List<RealRedis> replicas = servers.subList(1, 3);
            Topology.await("one real replica promoted, the other following it", Duration.ofSeconds(15), () -> {
                List<RealRedis> primaries = replicas.stream().filter(r -> role(r.port()).equals("master")).toList();
                if (primaries.size() != 1) {
                    return false;
                }
                RealRedis other = replicas.stream().filter(r -> r != primaries.get(0)).findFirst().orElseThrow();
                return Integer.toString(primaries.get(0).port()).equals(info(other.port(), "master_port"))
                        && "up".equals(info(other.port(), "master_link_status"));
            });
            RealRedis promoted = replicas.stream().filter(r -> role(r.port()).equals("master")).findFirst().orElseThrow();
            for (Sentinel s : t.sentinels) {
                assertThat(s.master(Topology.MASTER).join().port()).isEqualTo(promoted.port());
            }
        } finally {
            servers.forEach(RealRedis::close);
        }
    }

    @Test
    void realRedisSentinelsFailOverRookeryNodes() throws Exception {
        List<RealRedis> sentinels = new ArrayList<>();
        try (Topology t = new Topology()) {
            TestNode primary = t.startNode(0, 0, c -> { });
            t.startNode(0, primary.port(), c -> { });
            t.startNode(0, primary.port(), c -> { });
            for (int i = 0; i < 3; i++) {
                sentinels.add(RealRedis.startSentinel(List.of(
                        "sentinel monitor mymaster 127.0.0.1 " + primary.port() + " 2",
                        "sentinel down-after-milliseconds mymaster 1000")));
            }
            try (RawConnection s0 = new RawConnection(sentinels.get(0).port())) {
                Topology.await("the real sentinels to find the Rookery replicas and each other", Duration.ofSeconds(30), () -> {
                    try {
                        return count(s0.call("SENTINEL", "REPLICAS", "mymaster")) == 2
                                && count(s0.call("SENTINEL", "SENTINELS", "mymaster")) == 2;
                    } catch (IOException e) {
                        return false;
                    }
                });
                primary.close();
                List<TestNode> replicas = List.copyOf(t.nodes.subList(1, 3));
                Topology.await("the real sentinels to promote a Rookery replica", Duration.ofSeconds(30), () -> {
                    try {
                        RespValue addr = s0.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster");
                        String port = ((RespValue.BulkString) ((RespValue.Array) addr).elements().get(1)).text();
                        return !port.equals(Integer.toString(primary.port()));
                    } catch (IOException e) {
                        return false;
                    }
                });
                Topology.await("one Rookery primary, the other Rookery replica following it", Duration.ofSeconds(20), () -> {
                    List<TestNode> primaries = replicas.stream().filter(r -> !Topology.isReplica(r)).toList();
                    if (primaries.size() != 1) {
                        return false;
                    }
                    TestNode other = replicas.stream().filter(r -> r != primaries.get(0)).findFirst().orElseThrow();
                    var info = Topology.replicationInfo(other);
                    return info.get("master_port").equals(Integer.toString(primaries.get(0).port()))
                            && info.get("master_link_status").equals("up");
                });
                TestNode promoted = replicas.stream().filter(r -> !Topology.isReplica(r)).findFirst().orElseThrow();
                RespValue addr = s0.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster");
                assertThat(((RespValue.Array) addr).elements().get(1))
                        .isEqualTo(new RespValue.BulkString(Integer.toString(promoted.port()).getBytes()));
            }
        } finally {
            sentinels.forEach(RealRedis::kill);
        }
    }

    private static int count(RespValue v) {
        return v instanceof RespValue.Array a ? a.elements().size() : -1;
    }
}
