package io.rookery.node.cluster;

import static io.rookery.node.support.ClusterProcesses.address;
import static io.rookery.node.support.ClusterProcesses.await;
import static io.rookery.node.support.ClusterProcesses.awaitClean;
import static io.rookery.node.support.ClusterProcesses.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.rookery.node.support.ClusterProcesses;
import io.rookery.node.support.NodeProcess;
import io.rookery.node.support.RedisCli;
import io.rookery.protocol.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/**
 * Jedis's and Lettuce's cluster clients keep working while the cluster changes under them: while
 * {@code redis-cli --cluster reshard} moves the very slots they write to, no write or read fails
 * (MOVED and ASK are followed); after a primary is killed with SIGKILL its replica takes over, every
 * write that was acknowledged and replicated (WAIT 1) before the kill reads back through both
 * clients, and both write again.
 */
@Tag("cluster")
class ClusterClientsUnderChangeIT {

    /** A client's loop: writes fresh keys chosen by {@code keys}, reads one of its earlier ones back after each. */
    private static final class Writer implements Runnable {
        final String name;
        final BiConsumer<String, String> set;
        final Function<String, String> get;
        final Function<Long, String> keys;
        final Map<String, String> acknowledged = new ConcurrentHashMap<>();
        final List<String> errors = new CopyOnWriteArrayList<>();
        final AtomicLong successes = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);
        private long next;

        Writer(String name, BiConsumer<String, String> set, Function<String, String> get, Function<Long, String> keys) {
            this.name = name;
            this.set = set;
            this.get = get;
            this.keys = keys;
        }

        @Override
        public void run() {
            java.util.Random random = new java.util.Random(name.hashCode());
            List<String> written = new ArrayList<>();
            while (running.get()) {
                String key = keys.apply(next++);
                String value = name + " " + next;
                try {
                    set.accept(key, value);
                    acknowledged.put(key, value);
                    written.add(key);
                    String earlier = written.get(random.nextInt(written.size()));
                    String read = get.apply(earlier);
                    if (!acknowledged.get(earlier).equals(read)) {
                        errors.add("read " + earlier + " = " + read + ", wrote " + acknowledged.get(earlier));
                    }
                    successes.incrementAndGet();
                } catch (RuntimeException e) {
                    errors.add(key + ": " + e);
                    sleep(50);
                }
            }
        }

        Thread start() {
            Thread t = new Thread(this, name);
            t.setDaemon(true);
            t.start();
            return t;
        }

        void stop(Thread t) throws InterruptedException {
            running.set(false);
            t.join(30_000);
            assertThat(t.isAlive()).as("%s stopped", name).isFalse();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The n-th key of {@code prefix} whose slot is below {@code maxSlot}. */
    private static Function<Long, String> keysBelowSlot(String prefix, int maxSlot) {
        long[] candidate = {0};
        return n -> {
            while (true) {
                String key = prefix + ":" + candidate[0]++;
                if (SlotHash.slot(key.getBytes(StandardCharsets.UTF_8)) < maxSlot) {
                    return key;
                }
            }
        };
    }

    @Test
    void jedisAndLettuceKeepWorkingThroughAReshardAndAPrimaryKilled() throws Exception {
        try (ClusterProcesses cluster = ClusterProcesses.start(6, 2000)) {
            NodeProcess first = cluster.node(0);
            assertThat(cluster.create(6, 1)).contains("[OK] All 16384 slots covered.");
            awaitClean(first);
            NodeProcess source = ownerOf(cluster, 0);
            NodeProcess target = ownerOf(cluster, 8000);
            NodeProcess victim = ownerOf(cluster, 16000);

            RedisClusterClient lettuce = RedisClusterClient.create(RedisURI.builder().withHost("127.0.0.1")
                    .withPort(first.port()).withTimeout(Duration.ofSeconds(5)).build());
            lettuce.setOptions(ClusterClientOptions.builder().maxRedirects(10)
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(Duration.ofSeconds(1)).enableAllAdaptiveRefreshTriggers().build())
                    .build());
            GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
            pool.setMaxTotal(4);
            try (StatefulRedisClusterConnection<String, String> lc = lettuce.connect();
                 JedisCluster jedis = new JedisCluster(Set.of(new HostAndPort("127.0.0.1", first.port())), 2000, 2000, 10, pool)) {

                // 1. a reshard of slots 0..99 under writers that use only slots 0..199
                Writer lw = new Writer("lettuce", (k, v) -> lc.sync().set(k, v), k -> lc.sync().get(k), keysBelowSlot("l", 200));
                Writer jw = new Writer("jedis", jedis::set, jedis::get, keysBelowSlot("j", 200));
                Thread lt = lw.start();
                Thread jt = jw.start();
                await("both clients writing", () -> lw.successes.get() > 20 && jw.successes.get() > 20);
                String reshard = RedisCli.runWithin(180, first.port(), "--cluster", "reshard", address(first),
                        "--cluster-from", id(source), "--cluster-to", id(target), "--cluster-slots", "100", "--cluster-yes");
                assertThat(reshard).doesNotContain("[ERR]", "failed");
                long afterMove = lw.successes.get() + jw.successes.get();
                await("more writes after the move", () -> lw.successes.get() + jw.successes.get() > afterMove + 40);
                lw.stop(lt);
                jw.stop(jt);
                assertThat(lw.errors).as("errors Lettuce saw during the reshard").isEmpty();
                assertThat(jw.errors).as("errors Jedis saw during the reshard").isEmpty();
                assertThat(ownerOf(cluster, 50)).isSameAs(target);
                awaitClean(first);
                Map<String, String> acknowledged = new ConcurrentHashMap<>(lw.acknowledged);
                acknowledged.putAll(jw.acknowledged);
                for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                    assertThat(jedis.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
                    assertThat(lc.sync().get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
                }

                // 2. writes on the victim's slots, replicated (WAIT 1 after a later write on the same primary), then kill -9
                Writer lk = new Writer("lettuce-kill", (k, v) -> lc.sync().set(k, v), k -> lc.sync().get(k), keysAbove("lk", 10923));
                Writer jk = new Writer("jedis-kill", jedis::set, jedis::get, keysAbove("jk", 10923));
                Thread lkt = lk.start();
                Thread jkt = jk.start();
                await("both clients writing to the victim's slots", () -> lk.successes.get() > 30 && jk.successes.get() > 30);
                lk.stop(lkt);
                jk.stop(jkt);
                assertThat(lk.errors).isEmpty();
                assertThat(jk.errors).isEmpty();
                Map<String, String> replicated = new ConcurrentHashMap<>(lk.acknowledged);
                replicated.putAll(jk.acknowledged);
                String barrierKey = keysAbove("barrier", 10923).apply(0L);
                String waited = RedisCli.run(victim.port(), ("SET " + barrierKey + " last\nWAIT 1 5000\n").getBytes(StandardCharsets.UTF_8));
                assertThat(waited).isEqualTo("OK\n1\n");

                Writer lf = new Writer("lettuce-failover", (k, v) -> lc.sync().set(k, v), k -> lc.sync().get(k), keysAbove("lf", 10923));
                Writer jf = new Writer("jedis-failover", jedis::set, jedis::get, keysAbove("jf", 10923));
                Thread lft = lf.start();
                Thread jft = jf.start();
                victim.kill();
                List<NodeProcess> alive = cluster.nodes().stream().filter(NodeProcess::isAlive).toList();
                await("a replica serving the victim's slots", () -> alive.stream().anyMatch(n ->
                        ClusterProcesses.myselfLine(n).contains("myself,master") && ownsSlot(n, 16000)));
                long afterFailover = lf.successes.get() + jf.successes.get();
                await("both clients writing again after the failover", () -> lf.successes.get() > 0 && jf.successes.get() > 0
                        && lf.successes.get() + jf.successes.get() > afterFailover + 40);
                lf.stop(lft);
                jf.stop(jft);
                for (Map.Entry<String, String> e : replicated.entrySet()) {
                    assertThat(jedis.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
                    assertThat(lc.sync().get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
                }
            } finally {
                lettuce.shutdown();
            }
        }
    }

    /** The n-th key of {@code prefix} whose slot is at least {@code minSlot}. */
    private static Function<Long, String> keysAbove(String prefix, int minSlot) {
        long[] candidate = {0};
        return n -> {
            while (true) {
                String key = prefix + ":" + candidate[0]++;
                if (SlotHash.slot(key.getBytes(StandardCharsets.UTF_8)) >= minSlot) {
                    return key;
                }
            }
        };
    }

    private static NodeProcess ownerOf(ClusterProcesses cluster, int slot) {
        return cluster.nodes().stream().filter(NodeProcess::isAlive).filter(ClusterProcesses::isPrimary)
                .filter(n -> ownsSlot(n, slot)).findFirst().orElseThrow();
    }

    private static boolean ownsSlot(NodeProcess n, int slot) {
        String[] fields = ClusterProcesses.myselfLine(n).split(" ");
        for (int i = 8; i < fields.length; i++) {
            if (fields[i].startsWith("[")) {
                continue;
            }
            String[] range = fields[i].trim().split("-");
            int lo = Integer.parseInt(range[0]);
            int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
            if (slot >= lo && slot <= hi) {
                return true;
            }
        }
        return false;
    }
}
