package io.rookery.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * CLUSTER SLOT-STATS as Valkey 8 answers it, over a raw RESP connection: key counts by slot, cpu and
 * network charged to the slot of each command's keys once cluster-slot-stats-enabled is on, ORDERBY
 * with LIMIT and ASC/DESC, Valkey's errors, CONFIG RESETSTAT, and key counts following a slot that
 * moves (keys moved as MIGRATE moves them, then SETSLOT NODE).
 */
@Tag("cluster")
class ClusterSlotStatsIT {

    private static TestNode clusterNode() throws Exception {
        Path dir = Files.createTempDirectory("slot-stats");
        return TestNode.start(c -> {
            try {
                c.load("cluster-enabled", "yes");
                c.load("cluster-node-timeout", "2000");
                c.load("cluster-port", Integer.toString(RealRedis.freePort()));
                c.load("dir", dir.toString());
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static long integer(RespValue v) {
        return ((RespValue.Integer) v).value();
    }

    private static String error(RespValue v) {
        assertThat(v).isInstanceOf(RespValue.Error.class);
        return ((RespValue.Error) v).message();
    }

    /** The reply as slot → (metric → value), in reply order. */
    private static Map<Long, Map<String, Long>> stats(RespValue reply) {
        Map<Long, Map<String, Long>> out = new LinkedHashMap<>();
        for (RespValue e : ((RespValue.Array) reply).elements()) {
            List<RespValue> pair = ((RespValue.Array) e).elements();
            List<RespValue> flat = pair.get(1) instanceof RespValue.Map m ? m.entries() : ((RespValue.Array) pair.get(1)).elements();
            Map<String, Long> metrics = new LinkedHashMap<>();
            for (int i = 0; i < flat.size(); i += 2) {
                metrics.put(((RespValue.BulkString) flat.get(i)).text(), integer(flat.get(i + 1)));
            }
            out.put(integer(pair.get(0)), metrics);
        }
        return out;
    }

    private static Map<String, Long> slot(RawConnection c, long slot) throws Exception {
        return stats(c.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", Long.toString(slot), Long.toString(slot))).get(slot);
    }

    private static long requestBytes(String... args) {
        long n = ("*" + args.length + "\r\n").length();
        for (String a : args) {
            n += ("$" + a.length() + "\r\n" + a + "\r\n").length();
        }
        return n;
    }

    @Test
    void withStatsDisabledOnlyKeyCountIsReportedForTheSlotsOfThisNode() throws Exception {
        try (TestNode node = clusterNode(); RawConnection c = new RawConnection(node.port())) {
            c.call("CONFIG", "SET", "cluster-require-full-coverage", "no");
            c.call("CLUSTER", "ADDSLOTSRANGE", "100", "199");
            assertThat(c.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", "0", "16383")).isInstanceOf(RespValue.Array.class);
            Map<Long, Map<String, Long>> all = stats(c.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", "0", "16383"));
            assertThat(all.keySet()).hasSize(100).startsWith(100L).endsWith(199L);
            assertThat(all.get(150L)).containsExactly(Map.entry("key-count", 0L));

            long slot = integer(c.call("CLUSTER", "KEYSLOT", "{06S}"));  // slot 0 is not ours: find keys of ours
            assertThat(slot).isZero();
            String tag = tagFor(c, 120);
            for (int i = 0; i < 3; i++) {
                c.call("SET", "{" + tag + "}" + i, "v");
            }
            String other = tagFor(c, 130);
            c.call("SET", "{" + other + "}", "v");
            assertThat(slot(c, 120)).containsExactly(Map.entry("key-count", 3L));
            assertThat(stats(c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "key-count", "LIMIT", "3")).keySet())
                    .containsExactly(120L, 130L, 100L);
            assertThat(stats(c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "KEY-COUNT", "ASC", "LIMIT", "2")).keySet())
                    .containsExactly(100L, 101L);
            assertThat(stats(c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "key-count", "DESC")).keySet()).hasSize(100);
            assertThat(error(c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "cpu-usec")))
                    .isEqualTo("ERR Unrecognized sort metric for ORDERBY.");
        }
    }

    /** A hash tag whose slot is {@code slot}, found by asking the node. */
    private static String tagFor(RawConnection c, long slot) throws Exception {
        for (int i = 0; ; i++) {
            if (io.rookery.protocol.cluster.SlotHash.slot(("t" + i).getBytes()) == slot) {
                assertThat(integer(c.call("CLUSTER", "KEYSLOT", "t" + i))).isEqualTo(slot);
                return "t" + i;
            }
        }
    }

    @Test
    void commandInfoDescribesTheSubcommandAsValkeyDoes() throws Exception {
        try (TestNode node = clusterNode(); RawConnection c = new RawConnection(node.port())) {
            List<RespValue> info = ((RespValue.Array) ((RespValue.Array) c.call("COMMAND", "INFO", "cluster|slot-stats"))
                    .elements().get(0)).elements();
            assertThat(((RespValue.BulkString) info.get(0)).text()).isEqualTo("cluster|slot-stats");
            assertThat(integer(info.get(1))).isEqualTo(-4);
            assertThat(((RespValue.Array) info.get(2)).elements()).extracting(v -> ((RespValue.SimpleString) v).value())
                    .containsExactlyInAnyOrder("stale", "loading");
            assertThat(c.call("COMMAND", "INFO", "cluster").toString()).contains("cluster|slot-stats");
            RespValue help = c.call("CLUSTER", "HELP");
            assertThat(help.toString()).contains("SLOT-STATS");
        }
    }

    @Test
    void argumentsAreCheckedWithValkeysErrors() throws Exception {
        try (TestNode node = clusterNode(); RawConnection c = new RawConnection(node.port())) {
            assertThat(error(c.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", "5", "1")))
                    .isEqualTo("ERR Start slot number 5 is greater than end slot number 1");
            assertThat(error(c.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", "0", "16384"))).isEqualTo("ERR Invalid or out of range slot");
            assertThat(error(c.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", "x", "1"))).isEqualTo("ERR Invalid or out of range slot");
            assertThat(error(c.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", "1")))
                    .isEqualTo("ERR unknown subcommand or wrong number of arguments for 'SLOT-STATS'. Try CLUSTER HELP.");
            assertThat(error(c.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", "1", "2", "3")))
                    .isEqualTo("ERR unknown subcommand or wrong number of arguments for 'SLOT-STATS'. Try CLUSTER HELP.");
            assertThat(error(c.call("CLUSTER", "SLOT-STATS", "BOGUS", "1")))
                    .isEqualTo("ERR unknown subcommand or wrong number of arguments for 'SLOT-STATS'. Try CLUSTER HELP.");
            assertThat(error(c.call("CLUSTER", "SLOT-STATS", "ORDERBY"))).startsWith("ERR wrong number of arguments");
            assertThat(error(c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "bytes")))
                    .isEqualTo("ERR Unrecognized sort metric for ORDERBY.");
            String limitError = "ERR Limit has to lie in between 1 and 16384 (maximum number of slots).";
            assertThat(error(c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "key-count", "LIMIT", "0"))).isEqualTo(limitError);
            assertThat(error(c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "key-count", "LIMIT", "16385"))).isEqualTo(limitError);
            assertThat(error(c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "key-count", "LIMIT", "ten"))).isEqualTo(limitError);
            assertThat(error(c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "key-count", "LIMIT"))).isEqualTo("ERR syntax error");
            assertThat(error(c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "key-count", "UP"))).isEqualTo("ERR syntax error");
            assertThat(error(c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "key-count", "LIMIT", "1", "LIMIT", "2")))
                    .isEqualTo("ERR Multiple filters of the same type are disallowed.");
            assertThat(error(c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "key-count", "ASC", "DESC")))
                    .isEqualTo("ERR Multiple filters of the same type are disallowed.");
            assertThat(((RespValue.Array) c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "key-count")).elements()).isEmpty();
        }
        try (TestNode plain = TestNode.start(); RawConnection c = new RawConnection(plain.port())) {
            assertThat(error(c.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", "0", "1")))
                    .isEqualTo("ERR This instance has cluster support disabled");
        }
    }

    @Test
    void cpuAndNetworkAreChargedToTheSlotOfTheCommandsKeysAndResetByResetstat() throws Exception {
        try (TestNode node = clusterNode(); RawConnection c = new RawConnection(node.port())) {
            c.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
            assertThat(c.call("CONFIG", "SET", "cluster-slot-stats-enabled", "yes")).isEqualTo(new RespValue.SimpleString("OK"));
            long slot = integer(c.call("CLUSTER", "KEYSLOT", "user"));
            for (int i = 0; i < 200; i++) {
                c.call("SET", "user", "value" + (i % 10));
            }
            c.call("INFO");
            c.call("PING");
            Map<String, Long> s = slot(c, slot);
            assertThat(s.keySet()).containsExactly("key-count", "cpu-usec", "network-bytes-in", "network-bytes-out", "memory-bytes");
            assertThat(s.get("key-count")).isEqualTo(1);
            assertThat(s.get("network-bytes-in")).isEqualTo(200 * requestBytes("SET", "user", "value0"));
            assertThat(s.get("network-bytes-out")).isEqualTo(200 * "+OK\r\n".length());
            assertThat(s.get("cpu-usec")).isPositive();
            assertThat(s.get("memory-bytes")).isEqualTo(integer(c.call("MEMORY", "USAGE", "user")));

            long out = s.get("network-bytes-out") + (":" + s.get("memory-bytes") + "\r\n").length(); // MEMORY USAGE has a key too
            c.call("GET", "user"); // $6\r\nvalue9\r\n
            assertThat(slot(c, slot).get("network-bytes-out")).isEqualTo(out + 12);
            c.call("EXPIRE", "user", "1000");
            assertThat(slot(c, slot).get("memory-bytes")).isEqualTo(integer(c.call("MEMORY", "USAGE", "user")));

            // every other slot saw nothing, and keyless commands (INFO, PING, CLUSTER ...) count nowhere
            Map<Long, Map<String, Long>> all = stats(c.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", "0", "16383"));
            assertThat(all).hasSize(16384);
            all.forEach((k, v) -> {
                if (k != slot) {
                    assertThat(v.values()).allMatch(x -> x == 0);
                }
            });
            assertThat(stats(c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "network-bytes-in", "LIMIT", "1")).keySet())
                    .containsExactly(slot);
            assertThat(stats(c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "cpu-usec", "LIMIT", "1")).keySet()).containsExactly(slot);
            assertThat(stats(c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "memory-bytes", "LIMIT", "1")).keySet()).containsExactly(slot);
            long first = slot == 0 ? 1 : 0;
            assertThat(stats(c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "network-bytes-out", "ASC", "LIMIT", "1")).keySet())
                    .containsExactly(first);

            // commands queued by MULTI count their requests when queued and their replies when EXEC runs them
            long inBefore = slot(c, slot).get("network-bytes-in");
            long outBefore = slot(c, slot).get("network-bytes-out");
            c.call("MULTI");
            c.call("SET", "user", "v");
            c.call("GET", "user");
            c.call("EXEC");
            assertThat(slot(c, slot).get("network-bytes-in")).isEqualTo(inBefore + requestBytes("SET", "user", "v")
                    + requestBytes("GET", "user"));
            assertThat(slot(c, slot).get("network-bytes-out")).isEqualTo(outBefore + "+OK\r\n".length() + "$1\r\nv\r\n".length());

            assertThat(c.call("CONFIG", "RESETSTAT")).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(slot(c, slot)).containsEntry("cpu-usec", 0L).containsEntry("network-bytes-in", 0L)
                    .containsEntry("network-bytes-out", 0L).containsEntry("key-count", 1L);

            // a slot that changes owner starts again, as in Valkey
            c.call("SET", "user", "again");
            assertThat(slot(c, slot).get("network-bytes-in")).isPositive();
            c.call("CLUSTER", "DELSLOTS", Long.toString(slot));
            c.call("CLUSTER", "ADDSLOTS", Long.toString(slot));
            assertThat(slot(c, slot)).containsEntry("cpu-usec", 0L).containsEntry("network-bytes-in", 0L)
                    .containsEntry("network-bytes-out", 0L);

            assertThat(c.call("CONFIG", "SET", "cluster-slot-stats-enabled", "no")).isEqualTo(new RespValue.SimpleString("OK"));
            c.call("SET", "user", "off");
            assertThat(slot(c, slot)).containsExactly(Map.entry("key-count", 1L));
        }
    }

    @Test
    void keyCountsFollowASlotWhoseKeysMoveAndWhoseOwnerChangesWithSetslot() throws Exception {
        try (TestNode a = clusterNode(); TestNode b = clusterNode();
                RawConnection ca = new RawConnection(a.port()); RawConnection cb = new RawConnection(b.port())) {
            ca.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
            ca.call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(b.port()), Long.toString(busPort(cb)));
            await("the two nodes to know each other and the slots", () -> knows(ca, 2) && knows(cb, 2) && ok(cb));
            String idA = text(ca.call("CLUSTER", "MYID"));
            String idB = text(cb.call("CLUSTER", "MYID"));
            long slot = integer(ca.call("CLUSTER", "KEYSLOT", "{moving}"));
            for (int i = 0; i < 5; i++) {
                ca.call("SET", "{moving}" + i, "v" + i);
            }
            assertThat(slot(ca, slot)).containsEntry("key-count", 5L);
            assertThat(stats(cb.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", "0", "16383"))).isEmpty();

            RespValue ok = new RespValue.SimpleString("OK");
            assertThat(cb.call("CLUSTER", "SETSLOT", Long.toString(slot), "IMPORTING", idA)).isEqualTo(ok);
            assertThat(ca.call("CLUSTER", "SETSLOT", Long.toString(slot), "MIGRATING", idB)).isEqualTo(ok);
            move(ca, cb, "{moving}0", "{moving}1");
            assertThat(slot(ca, slot)).containsEntry("key-count", 3L);
            move(ca, cb, "{moving}2", "{moving}3", "{moving}4");
            assertThat(cb.call("CLUSTER", "SETSLOT", Long.toString(slot), "NODE", idB)).isEqualTo(ok);
            assertThat(ca.call("CLUSTER", "SETSLOT", Long.toString(slot), "NODE", idB)).isEqualTo(ok);

            assertThat(stats(ca.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", Long.toString(slot), Long.toString(slot)))).isEmpty();
            assertThat(slot(cb, slot)).containsExactly(Map.entry("key-count", 5L));
            assertThat(stats(cb.call("CLUSTER", "SLOT-STATS", "ORDERBY", "key-count")).keySet()).containsExactly(slot);
            assertThat(stats(ca.call("CLUSTER", "SLOT-STATS", "ORDERBY", "key-count"))).hasSize(16383);
        }
    }

    /**
     * Moves keys the way MIGRATE does on the wire (DUMP here, ASKING + RESTORE there, DEL here), which
     * also works before MIGRATE sends RESTORE-ASKING in cluster mode.
     */
    private static void move(RawConnection from, RawConnection to, String... keys) throws Exception {
        for (String key : keys) {
            from.send(List.of("DUMP".getBytes(), key.getBytes()));
            byte[] payload = ((RespValue.BulkString) from.readReply()).value();
            assertThat(to.call("ASKING")).isEqualTo(new RespValue.SimpleString("OK"));
            to.send(List.of("RESTORE".getBytes(), key.getBytes(), "0".getBytes(), payload));
            assertThat(to.readReply()).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(from.call("DEL", key)).isEqualTo(new RespValue.Integer(1));
        }
    }

    private static String text(RespValue v) {
        return v instanceof RespValue.BulkString b ? b.text() : ((RespValue.SimpleString) v).value();
    }

    private static long busPort(RawConnection c) throws Exception {
        RespValue nodes = c.call("CLUSTER", "NODES");
        String text = nodes instanceof RespValue.Verbatim v ? v.text() : text(nodes);
        String me = text.lines().filter(l -> l.contains("myself")).findFirst().orElseThrow();
        return Long.parseLong(me.split(" ")[1].replaceAll(".*@", "").replaceAll(",.*", ""));
    }

    private static boolean knows(RawConnection c, int nodes) {
        try {
            RespValue info = c.call("CLUSTER", "INFO");
            String text = info instanceof RespValue.Verbatim v ? v.text() : text(info);
            return text.contains("cluster_known_nodes:" + nodes) && !text.contains("handshake")
                    && text(c.call("CLUSTER", "NODES")).lines().noneMatch(l -> l.contains("handshake") || l.contains("noaddr"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean ok(RawConnection c) {
        try {
            RespValue info = c.call("CLUSTER", "INFO");
            return (info instanceof RespValue.Verbatim v ? v.text() : text(info)).contains("cluster_state:ok");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
