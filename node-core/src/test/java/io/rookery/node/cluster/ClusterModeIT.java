package io.rookery.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.config.ConfigException;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One node in cluster mode, driven as redis-cli --cluster and cluster clients drive it. */
class ClusterModeIT {
    @TempDir
    Path dir;

    private TestNode start() {
        return TestNode.start(c -> cluster(c, dir));
    }

    static void cluster(NodeConfig c, Path dir) {
        try {
            c.load("cluster-enabled", "yes");
            c.load("cluster-port", Integer.toString(RealRedis.freePort()));
            c.load("dir", dir.toString());
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aNewNodeHasANameNoSlotsAndAFailedState() {
        try (TestNode node = start(); Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            String id = l.sync().clusterMyId();
            assertThat(id).matches("[0-9a-f]{40}");
            assertThat(l.sync().clusterInfo()).contains("cluster_state:fail\r\n", "cluster_slots_assigned:0\r\n",
                    "cluster_known_nodes:1\r\n", "cluster_size:0\r\n", "cluster_current_epoch:0\r\n");
            assertThat(l.sync().clusterNodes()).isEqualTo(id + " :" + node.port() + "@" + busPort(node)
                    + " myself,master - 0 0 0 connected\n");
            assertThat(l.sync().clusterKeyslot("{user1000}.following")).isEqualTo(l.sync().clusterKeyslot("user1000"));
            assertThatThrownBy(() -> l.sync().set("k", "v")).hasMessage("CLUSTERDOWN Hash slot not served");
        }
    }

    private static int busPort(TestNode node) {
        return Integer.parseInt(node.node().parts().config().parameter("cluster-port").get());
    }

    @Test
    void withEverySlotAssignedTheNodeServesKeysAndIndexesThemBySlot() {
        try (TestNode node = start(); Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP3)) {
            assertThat(l.sync().clusterAddSlotsRange(io.lettuce.core.Range.create(0, 16383))).isEqualTo("OK");
            assertThat(l.sync().clusterInfo()).contains("cluster_state:ok\r\n", "cluster_slots_assigned:16384\r\n",
                    "cluster_slots_ok:16384\r\n", "cluster_size:1\r\n");
            for (int i = 0; i < 100; i++) {
                l.sync().set("{tag}:" + i, "v");
            }
            l.sync().set("other", "v");
            int slot = l.sync().clusterKeyslot("{tag}:1").intValue();
            assertThat(l.sync().clusterCountKeysInSlot(slot)).isEqualTo(100);
            assertThat(l.sync().clusterGetKeysInSlot(slot, 5)).hasSize(5).allMatch(k -> k.startsWith("{tag}:"));
            l.sync().del("{tag}:1");
            assertThat(l.sync().clusterCountKeysInSlot(slot)).isEqualTo(99);
            assertThatThrownBy(() -> l.sync().mset(Map.of("a", "1", "b", "2")))
                    .hasMessage("CROSSSLOT Keys in request don't hash to the same slot");
            assertThat(l.sync().mset(Map.of("{x}a", "1", "{x}b", "2"))).isEqualTo("OK");
            assertThatThrownBy(() -> l.sync().select(1)).hasMessage("ERR SELECT is not allowed in cluster mode");
            assertThatThrownBy(() -> l.sync().swapdb(0, 1)).hasMessage("ERR SWAPDB is not allowed in cluster mode");
            assertThatThrownBy(() -> l.sync().clusterAddSlots(5)).hasMessage("ERR Slot 5 is already busy");
            assertThatThrownBy(() -> l.sync().clusterSetSlotNode(slot, "0".repeat(40)))
                    .hasMessage("ERR Unknown node " + "0".repeat(40));
            String id = l.sync().clusterMyId();
            assertThatThrownBy(() -> l.sync().clusterSetSlotNode(slot, id + "x")).isInstanceOf(RedisCommandExecutionException.class);
            assertThat(l.sync().clusterSlots()).hasSize(1);
            l.sync().flushall();
            assertThat(l.sync().clusterCountKeysInSlot(slot)).isZero();
        }
    }

    @Test
    void slotsAndEpochsSurviveARestartAndASecondNodeCannotTakeTheSameConfigFile() throws Exception {
        String id;
        try (TestNode node = start(); Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            id = l.sync().clusterMyId();
            l.sync().clusterAddSlots(1, 2, 3, 100);
            assertThat(l.sync().clusterSetConfigEpoch(7)).isEqualTo("OK");
            assertThatThrownBy(() -> TestNode.start(c -> cluster(c, dir))).hasMessageContaining("already used by a different");
        }
        List<String> conf = Files.readAllLines(dir.resolve("nodes.conf"));
        assertThat(conf.get(conf.size() - 1)).isEqualTo("vars currentEpoch 7 lastVoteEpoch 0");
        try (TestNode node = start(); Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            assertThat(l.sync().clusterMyId()).isEqualTo(id);
            assertThat(l.sync().clusterNodes()).contains("myself,master - 0 0 7 connected 1-3 100\n");
            assertThat(l.sync().clusterInfo()).contains("cluster_current_epoch:7\r\n", "cluster_my_epoch:7\r\n");
        }
    }

    @Test
    void resetForgetsSlotsAndHardResetTakesANewNameAndZeroEpochs() {
        try (TestNode node = start(); Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            String id = l.sync().clusterMyId();
            l.sync().configSet("cluster-require-full-coverage", "no"); // three slots are enough to serve them
            l.sync().clusterAddSlots(0, 1, 2);
            l.sync().clusterSetConfigEpoch(5);
            l.sync().set("{06S}k", "v"); // slot 0
            assertThatThrownBy(() -> l.sync().clusterReset(false))
                    .hasMessage("ERR CLUSTER RESET can't be called with master nodes containing keys");
            l.sync().flushall();
            assertThat(l.sync().clusterReset(false)).isEqualTo("OK");
            assertThat(l.sync().clusterMyId()).isEqualTo(id);
            assertThat(l.sync().clusterInfo()).contains("cluster_slots_assigned:0\r\n", "cluster_current_epoch:5\r\n");
            assertThat(l.sync().clusterReset(true)).isEqualTo("OK");
            assertThat(l.sync().clusterMyId()).isNotEqualTo(id);
            assertThat(l.sync().clusterInfo()).contains("cluster_current_epoch:0\r\n", "cluster_my_epoch:0\r\n");
        }
    }

    @Test
    void garbageAndTruncatedFramesOnTheBusNeverTakeTheNodeDown() throws Exception {
        try (TestNode node = start(); Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            int bus = busPort(node);
            java.util.Random random = new java.util.Random(11);
            for (int i = 0; i < 40; i++) {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", bus)) {
                    byte[] junk = new byte[random.nextInt(5000)];
                    random.nextBytes(junk);
                    if (i % 2 == 0 && junk.length >= 16) { // a plausible head: signature, length, version
                        System.arraycopy("RCmb".getBytes(), 0, junk, 0, 4);
                        java.nio.ByteBuffer.wrap(junk, 4, 4).putInt(2256 + random.nextInt(3000));
                        junk[8] = 0;
                        junk[9] = 1;
                    }
                    s.getOutputStream().write(junk);
                }
            }
            assertThat(l.sync().ping()).isEqualTo("PONG");
            assertThat(l.sync().clusterInfo()).contains("cluster_known_nodes:1\r\n");
        }
    }

    @Test
    void withoutClusterModeEveryClusterCommandSaysSo() {
        try (TestNode node = TestNode.start(); Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            assertThatThrownBy(() -> l.sync().clusterInfo()).hasMessage("ERR This instance has cluster support disabled");
            assertThatThrownBy(() -> l.sync().readOnly()).hasMessage("ERR This instance has cluster support disabled");
            assertThat(l.sync().select(1)).isEqualTo("OK");
        }
    }
}
