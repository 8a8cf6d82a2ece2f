package io.rookery.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RealRedis;
import io.rookery.node.support.RedisCli;
import io.rookery.node.support.TestNode;
import java.nio.file.Files;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * EVAL and FCALL in cluster mode, with Redis 7.0's rules (script.c scriptVerifyClusterState): the
 * declared keys share one slot, every key redis.call touches is served here and, unless the script
 * runs in compatibility mode or with {@code allow-cross-slot-keys}, hashes to the script's slot; a
 * down cluster refuses in the script's words; {@code no-cluster} scripts do not run. Each reply is
 * compared with a real redis-server in cluster mode given the same slots.
 */
@Tag("cluster")
class ScriptsInClusterIT {

    private static final String LIBRARY = "#!lua name=lib\n"
            + "redis.register_function('two_slots', function(keys, args) redis.call('set','a','1'); return redis.call('set','b','1') end)\n"
            + "redis.register_function{function_name='crossing', callback=function(keys, args) redis.call('set','a','1'); "
            + "return redis.call('set','b','1') end, flags={'allow-cross-slot-keys'}}";

    /** Scripts and their arguments (numkeys, keys, args), each answered the same by Redis and Rookery. */
    private static final List<List<String>> EVALS = List.of(
            List.of("#!lua\nreturn redis.call('set','a','1')", "1", "b"),
            List.of("#!lua\nredis.call('set','a','1'); return redis.call('set','b','1')", "0"),
            List.of("#!lua\nreturn redis.pcall('set','a','1')", "1", "b"),
            List.of("#!lua\nlocal ok, e = pcall(redis.call, 'set', 'a', '1'); return e", "1", "b"),
            List.of("#!lua\nreturn redis.call('mset','a','1','b','2')", "0"),
            List.of("#!lua\nreturn redis.call('set','{b}x','1')", "1", "b"),
            List.of("return redis.call('set','a','1')", "1", "b"),
            List.of("redis.call('set','a','1'); return redis.call('set','b','1')", "0"),
            List.of("#!lua flags=allow-cross-slot-keys\nredis.call('set','a','1'); return redis.call('set','b','1')", "0"),
            List.of("return 1", "2", "a", "b"),
            List.of("#!lua flags=allow-cross-slot-keys\nreturn 1", "2", "a", "b"),
            List.of("#!lua flags=no-cluster\nreturn 1", "0"));

    private static TestNode rookery() throws Exception {
        java.nio.file.Path dir = Files.createTempDirectory("scripts-cluster");
        return TestNode.start(c -> ClusterModeIT.cluster(c, dir));
    }

    private static String eval(int port, List<String> script) {
        String[] args = new String[script.size() + 1];
        args[0] = "EVAL";
        for (int i = 0; i < script.size(); i++) {
            args[i + 1] = script.get(i);
        }
        return RedisCli.run(port, args);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static boolean state(int port, String state) {
        return RedisCli.run(port, "CLUSTER", "INFO").contains("cluster_state:" + state);
    }

    @Test
    void scriptsMeetTheSameSlotRulesAndSayTheSameAsRedis() throws Exception {
        try (RealRedis redis = RealRedis.start("--cluster-enabled", "yes", "--cluster-port", Integer.toString(RealRedis.freePort()));
             TestNode node = rookery()) {
            List<Integer> ports = List.of(redis.port(), node.port());
            for (int p : ports) {
                RedisCli.run(p, "CLUSTER", "ADDSLOTSRANGE", "0", "16383");
                assertThat(RedisCli.run(p, "FUNCTION", "LOAD", LIBRARY).trim()).isEqualTo("lib");
            }
            await("both nodes serving every slot", () -> ports.stream().allMatch(p -> state(p, "ok")));

            for (List<String> script : EVALS) {
                assertThat(eval(node.port(), script)).as("EVAL %s", script).isEqualTo(eval(redis.port(), script));
            }
            for (String fcall : List.of("two_slots", "crossing")) {
                assertThat(RedisCli.run(node.port(), "FCALL", fcall, "0")).as("FCALL %s", fcall)
                        .isEqualTo(RedisCli.run(redis.port(), "FCALL", fcall, "0"));
            }
            assertThat(eval(node.port(), EVALS.get(1))).startsWith("ERR Script attempted to access keys that do not hash to the same slot");
            assertThat(eval(node.port(), EVALS.get(4))).startsWith("ERR Script attempted to access a non local key in a cluster node");

            // slot 0 unassigned: the cluster is down for the keys it still serves ("a" is in slot 15495)
            for (int p : ports) {
                RedisCli.run(p, "CLUSTER", "DELSLOTS", "0");
            }
            await("both clusters down", () -> ports.stream().allMatch(p -> state(p, "fail")));
            List<String> get = List.of("#!lua\nreturn redis.call('get','a')", "0");
            List<String> set = List.of("#!lua\nreturn redis.call('set','a','2')", "0");
            assertThat(eval(node.port(), get)).startsWith("ERR Script attempted to execute a command while the cluster is down")
                    .isEqualTo(eval(redis.port(), get));
            for (int p : ports) {
                RedisCli.run(p, "CONFIG", "SET", "cluster-allow-reads-when-down", "yes");
            }
            assertThat(eval(node.port(), get)).isEqualTo(eval(redis.port(), get)).isEqualTo("1\n");
            assertThat(eval(node.port(), set))
                    .startsWith("ERR Script attempted to execute a write command while the cluster is down and readonly")
                    .isEqualTo(eval(redis.port(), set));
        }
    }

    @Test
    void aScriptCannotTouchAKeyServedByAnotherNode() throws Exception {
        try (TestNode first = rookery(); TestNode second = rookery()) {
            RedisCli.run(first.port(), "CLUSTER", "ADDSLOTSRANGE", "0", "8191");
            RedisCli.run(second.port(), "CLUSTER", "ADDSLOTSRANGE", "8192", "16383");
            String bus = RedisCli.run(second.port(), "CLUSTER", "NODES").lines().filter(l -> l.contains("myself"))
                    .findFirst().orElseThrow().split(" ")[1].replaceAll(".*@", "").replaceAll(",.*", "");
            RedisCli.run(first.port(), "CLUSTER", "MEET", "127.0.0.1", Integer.toString(second.port()), bus);
            await("two nodes agreeing", () -> state(first.port(), "ok") && state(second.port(), "ok"));

            // "foo" is in slot 12182, served by the second node; "a{x}" would be too: only the first node's keys run here
            assertThat(eval(first.port(), List.of("return redis.call('get','foo')", "0")))
                    .startsWith("ERR Script attempted to access a non local key in a cluster node script: ");
            assertThat(eval(first.port(), List.of("return redis.call('get','foo')", "1", "foo")).trim())
                    .isEqualTo("MOVED 12182 127.0.0.1:" + second.port());
            assertThat(eval(first.port(), List.of("return redis.call('set','bar','here')", "0")).trim()).isEqualTo("OK"); // slot 5061
            assertThat(eval(second.port(), List.of("return redis.call('set','foo','there')", "1", "foo")).trim()).isEqualTo("OK");
            assertThat(RedisCli.run(first.port(), "-c", "GET", "foo").trim()).isEqualTo("there");
        }
    }
}
