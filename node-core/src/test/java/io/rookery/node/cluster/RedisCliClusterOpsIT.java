package io.rookery.node.cluster;

import static io.rookery.node.support.ClusterProcesses.address;
import static io.rookery.node.support.ClusterProcesses.await;
import static io.rookery.node.support.ClusterProcesses.awaitClean;
import static io.rookery.node.support.ClusterProcesses.check;
import static io.rookery.node.support.ClusterProcesses.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.rookery.node.support.ClusterProcesses;
import io.rookery.node.support.NodeProcess;
import io.rookery.node.support.RedisCli;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operator's path through {@code redis-cli --cluster} against Rookery nodes running as processes:
 * create six nodes with a replica each, info, reshard, add a primary, rebalance with a weight onto the
 * empty primary, add a replica of it, delete the replica, and fix a slot left half-migrated by hand.
 * After every step {@code --cluster check} is clean and every key still reads back unchanged.
 */
@Tag("cluster")
class RedisCliClusterOpsIT {

    @Test
    void everyRedisCliClusterCommandLeavesACoveredClusterWithEveryKeyIntact() throws Exception {
        try (ClusterProcesses cluster = ClusterProcesses.start(6, 5000)) {
            NodeProcess first = cluster.node(0);
            assertThat(cluster.create(6, 1)).contains("[OK] All 16384 slots covered.").doesNotContain("[ERR]");
            awaitClean(first);

            RedisClusterClient client = RedisClusterClient.create(RedisURI.builder().withHost("127.0.0.1")
                    .withPort(first.port()).withTimeout(Duration.ofSeconds(10)).build());
            try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
                RedisAdvancedClusterCommands<String, String> r = c.sync();
                for (int i = 0; i < 150; i++) {
                    r.set("key:" + i, "value " + i);
                }
                for (int i = 0; i < 20; i++) {
                    r.hset("hash:" + i, Map.of("f1", "a" + i, "f2", "b" + i));
                }
                Map<String, String> before = contents(client, r);
                assertThat(before).hasSize(170);

                assertThat(RedisCli.run(first.port(), "--cluster", "info", address(first)))
                        .contains("[OK] 170 keys in 3 masters.");

                // reshard: 60 slots from the first primary to the second
                NodeProcess from = primary(cluster, 0);
                NodeProcess to = primary(cluster, 1);
                String reshard = RedisCli.runWithin(180, first.port(), "--cluster", "reshard", address(first),
                        "--cluster-from", id(from), "--cluster-to", id(to), "--cluster-slots", "60", "--cluster-yes");
                assertThat(reshard).doesNotContain("[ERR]", "failed");
                awaitClean(first);
                assertThat(slotCount(to)).isEqualTo(slotCount(primary(cluster, 2)) + 61);
                assertThat(contents(client, r)).isEqualTo(before);

                // add-node: an empty primary
                NodeProcess newPrimary = cluster.add(1).get(0);
                assertThat(RedisCli.run(first.port(), "--cluster", "add-node", address(newPrimary), address(first)))
                        .contains("[OK] New node added correctly.");
                await("every node knowing the added primary, and it every node", () -> cluster.nodes().stream()
                        .allMatch(n -> RedisCli.run(n.port(), "CLUSTER", "NODES").contains(id(newPrimary))
                                && RedisCli.run(newPrimary.port(), "CLUSTER", "NODES").contains(id(n))));
                awaitClean(first);

                // rebalance: the empty primary takes a share by its small weight
                String rebalance = RedisCli.runWithin(180, first.port(), "--cluster", "rebalance", address(first),
                        "--cluster-use-empty-masters", "--cluster-weight", id(newPrimary) + "=0.05");
                assertThat(rebalance).as(rebalance).contains("Rebalancing across 4 nodes.").doesNotContain("[ERR]", "failed", "ERR");
                awaitClean(first);
                assertThat(slotCount(newPrimary)).isBetween(200, 330); // 16384 * 0.05 / 3.05 = 268, give or take the threshold
                assertThat(contents(client, r)).isEqualTo(before);

                // add-node --cluster-slave once that primary owns slots: redis-cli waits for the new node
                // to agree with the slot owners only (clusterManagerIsConfigConsistent), then at once asks it to
                // REPLICATE the primary, which a primary owning no slot may not have reached by gossip yet
                NodeProcess newReplica = cluster.add(1).get(0);
                assertThat(RedisCli.run(first.port(), "--cluster", "add-node", address(newReplica), address(first),
                        "--cluster-slave", "--cluster-master-id", id(newPrimary))).contains("[OK] New node added correctly.");
                awaitClean(first);
                await("the added replica following the added primary", () ->
                        ClusterProcesses.myselfLine(newReplica).contains("slave " + id(newPrimary))
                                && RedisCli.run(newReplica.port(), "INFO", "replication").contains("master_link_status:up"));

                // del-node: the replica leaves and is reset
                String deleted = RedisCli.run(first.port(), "--cluster", "del-node", address(first), id(newReplica));
                assertThat(deleted).contains("Sending CLUSTER RESET SOFT to the deleted node.").doesNotContain("[ERR]");
                awaitClean(first);
                assertThat(check(first)).doesNotContain(address(newReplica));
                assertThat(RedisCli.run(newReplica.port(), "CLUSTER", "INFO")).contains("cluster_known_nodes:1");

                // fix: slot 12182 ({foo}) left MIGRATING on its owner, IMPORTING on another primary,
                // with a key on each side
                NodeProcess owner = ownerOf(cluster, 12182);
                NodeProcess other = cluster.nodes().stream().filter(ClusterProcesses::isPrimary)
                        .filter(n -> n != owner && n.isAlive() && slotCount(n) > 0).findFirst().orElseThrow();
                r.set("{foo}1", "on the owner");
                before.put("{foo}1", "on the owner");
                assertThat(RedisCli.run(other.port(), "CLUSTER", "SETSLOT", "12182", "IMPORTING", id(owner)).trim()).isEqualTo("OK");
                assertThat(RedisCli.run(owner.port(), "CLUSTER", "SETSLOT", "12182", "MIGRATING", id(other)).trim()).isEqualTo("OK");
                String asked = RedisCli.run(other.port(), "ASKING\nSET {foo}2 \"on the importer\"\n".getBytes());
                assertThat(asked).isEqualTo("OK\nOK\n");
                before.put("{foo}2", "on the importer");
                assertThat(check(first)).contains("[WARNING] The following slots are open: 12182.");
                String fix = RedisCli.runWithin(120, first.port(), "--cluster", "fix", address(first));
                assertThat(fix).contains("Fixing open slot 12182").doesNotContain("[ERR]");
                awaitClean(first);
                assertThat(contents(client, r)).isEqualTo(before);
            } finally {
                client.shutdown();
            }
        }
    }

    /** Every key of the cluster with its value (strings as they are, hashes as sorted maps). */
    private static Map<String, String> contents(RedisClusterClient client, RedisAdvancedClusterCommands<String, String> r) {
        client.refreshPartitions(); // KEYS goes to every primary the client knows of
        Map<String, String> all = new TreeMap<>();
        for (String key : r.keys("*")) {
            String type = r.type(key);
            all.put(key, type.equals("hash") ? new TreeMap<>(r.hgetall(key)).toString() : r.get(key));
        }
        return all;
    }

    /** The i-th primary, in start order, that owns slots. */
    private static NodeProcess primary(ClusterProcesses cluster, int i) {
        return cluster.nodes().stream().filter(ClusterProcesses::isPrimary).filter(n -> slotCount(n) > 0).skip(i).findFirst().orElseThrow();
    }

    private static NodeProcess ownerOf(ClusterProcesses cluster, int slot) {
        return cluster.nodes().stream().filter(ClusterProcesses::isPrimary)
                .filter(n -> ownedSlots(n).contains(slot)).findFirst().orElseThrow();
    }

    private static int slotCount(NodeProcess n) {
        return ownedSlots(n).size();
    }

    /** The slots the node's CLUSTER NODES says it owns itself. */
    private static java.util.Set<Integer> ownedSlots(NodeProcess n) {
        java.util.Set<Integer> slots = new java.util.TreeSet<>();
        String[] fields = ClusterProcesses.myselfLine(n).split(" ");
        for (int i = 8; i < fields.length; i++) {
            if (fields[i].startsWith("[")) {
                continue;
            }
            String[] range = fields[i].trim().split("-");
            int lo = Integer.parseInt(range[0]);
            int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
            for (int s = lo; s <= hi; s++) {
                slots.add(s);
            }
        }
        return slots;
    }
}
