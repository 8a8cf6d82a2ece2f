package io.rookery.node.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams (with consumer groups and pending lists), HyperLogLogs (sparse, dense, merged) and geo
 * sets cross between Rookery and real redis-server 7.0 in every way data moves: RDB files, AOF
 * directories (the writes as each side appends them), DUMP/RESTORE, and replication with either side
 * as the primary (the initial sync and the commands streamed after it, such as XREADGROUP and
 * XAUTOCLAIM as their XCLAIM effects, GEOADD as ZADD). Each time the receiving side must answer
 * exactly what the sending side answers.
 */
@Tag("interop")
class NewTypesInteropIT {

    private static final List<String> KEYS = List.of("s", "empty", "hll-sparse", "hll-dense", "hll-merged", "geo",
            "geo-near");

    /** Everything written before a copy: the stream workload of StreamPersistenceIT, HLLs and geo sets. */
    private static void populate(RawConnection c) throws Exception {
        StreamPersistenceIT.populate(c); // starts with FLUSHALL
        List<String> sparse = new ArrayList<>(List.of("PFADD", "hll-sparse"));
        for (int i = 0; i < 100; i++) {
            sparse.add("e" + i);
        }
        c.call(sparse.toArray(String[]::new));
        for (int batch = 0; batch < 5; batch++) {
            List<String> dense = new ArrayList<>(List.of("PFADD", "hll-dense"));
            for (int i = 0; i < 1000; i++) {
                dense.add("d" + batch + ":" + i);
            }
            c.call(dense.toArray(String[]::new));
        }
        c.call("PFMERGE", "hll-merged", "hll-sparse", "hll-dense");
        c.call("GEOADD", "geo", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania",
                "2.352222", "48.856613", "Paris", "-0.127758", "51.507351", "London");
        c.call("GEOSEARCHSTORE", "geo-near", "geo", "FROMLONLAT", "15", "37", "BYRADIUS", "300", "km", "ASC");
    }

    /** Writes after a replica synchronized: they reach it as the primary propagates them. */
    private static void more(RawConnection c) throws Exception {
        c.call("XADD", "s", "*", "late", "1");
        c.call("XREADGROUP", "GROUP", "g2", "erin", "COUNT", "2", "STREAMS", "s", ">");
        c.call("XAUTOCLAIM", "s", "g1", "frank", "0", "0-0", "COUNT", "3");
        c.call("XACK", "s", "g1", "2-2");
        c.call("XGROUP", "SETID", "s", "g2", "$", "ENTRIESREAD", "200");
        c.call("PFADD", "hll-sparse", "late1", "late2");
        c.call("PFADD", "hll-dense", "late3");
        c.call("GEOADD", "geo", "12.496366", "41.902782", "Rome");
        c.call("GEOSEARCHSTORE", "geo-near", "geo", "FROMMEMBER", "Rome", "BYRADIUS", "600", "km", "ASC", "STOREDIST");
        c.call("SET", "marker", "done");
    }

    /**
     * What a client can read of the data, without the clocks (idle and seen times are the reader's
     * own) and without the stream's rax node count (Redis's internal shape).
     */
    private static List<String> state(RawConnection c) throws Exception {
        List<String> out = new ArrayList<>();
        out.add(c.call("XRANGE", "s", "-", "+").toString());
        out.add(c.call("XINFO", "GROUPS", "s").toString());
        out.add(c.call("XINFO", "GROUPS", "empty").toString());
        for (String group : List.of("g1", "g2")) {
            RespValue.Array pending = (RespValue.Array) c.call("XPENDING", "s", group, "-", "+", "1000");
            for (RespValue p : pending.elements()) {
                List<RespValue> e = ((RespValue.Array) p).elements();
                out.add(group + " pending " + e.get(0) + " " + e.get(1) + " delivered " + e.get(3));
            }
            RespValue.Array consumers = (RespValue.Array) c.call("XINFO", "CONSUMERS", "s", group);
            for (RespValue consumer : consumers.elements()) {
                List<RespValue> fields = ((RespValue.Array) consumer).elements();
                out.add(group + " consumer " + fields.get(1) + " pending " + fields.get(3));
            }
        }
        for (String hll : List.of("hll-sparse", "hll-dense", "hll-merged")) {
            out.add(hll + " " + c.call("PFCOUNT", hll) + " " + c.call("GET", hll));
        }
        for (String geo : List.of("geo", "geo-near")) {
            out.add(c.call("ZRANGE", geo, "0", "-1", "WITHSCORES").toString());
        }
        out.add(c.call("GEOPOS", "geo", "Palermo", "Rome").toString());
        out.add(c.call("DBSIZE").toString());
        return out;
    }

    private static TestNode rookery(Path dir, String... settings) {
        return TestNode.start(c -> {
            try {
                c.load("dir", dir.toString());
                c.load("save", "");
                for (int i = 0; i < settings.length; i += 2) {
                    c.load(settings[i], settings[i + 1]);
                }
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void rdbFilesBothWays(@TempDir Path ours, @TempDir Path theirs) throws Exception {
        List<String> written;
        try (TestNode node = rookery(ours); RawConnection c = new RawConnection(node.port())) {
            populate(c);
            more(c);
            written = state(c);
            // the workload reached what it is meant to cover: claimed and delivered entries pending
            assertThat(written).anyMatch(l -> l.startsWith("g1 consumer") && l.contains("frank") && !l.endsWith("Integer[value=0]"))
                    .anyMatch(l -> l.startsWith("g2 pending"));
            c.call("SAVE");
        }
        try (RealRedis redis = RealRedis.start("--dir", ours.toString(), "--sanitize-dump-payload", "yes");
             RawConnection c = new RawConnection(redis.port())) {
            assertThat(state(c)).isEqualTo(written);
        }
        try (RealRedis redis = RealRedis.start("--dir", theirs.toString()); RawConnection c = new RawConnection(redis.port())) {
            populate(c);
            more(c);
            written = state(c);
            c.call("SAVE");
        }
        try (TestNode node = rookery(theirs); RawConnection c = new RawConnection(node.port())) {
            assertThat(state(c)).isEqualTo(written);
        }
    }

    @Test
    void ourAofDirectoryLoadsInRealRedis(@TempDir Path dir) throws Exception {
        List<String> written;
        try (TestNode node = rookery(dir, "appendonly", "yes"); RawConnection c = new RawConnection(node.port())) {
            populate(c);
            more(c);
            written = state(c);
        }
        Path manifest = dir.resolve("appendonlydir").resolve("appendonly.aof.manifest");
        Process check = new ProcessBuilder(RealRedis.binary("redis-check-aof"), manifest.toString())
                .redirectErrorStream(true).start();
        String report = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor()).as(report).isZero();
        try (RealRedis redis = RealRedis.start("--dir", dir.toString(), "--appendonly", "yes");
             RawConnection c = new RawConnection(redis.port())) {
            assertThat(state(c)).isEqualTo(written);
        }
    }

    @Test
    void realRedisAofDirectoryLoadsHere(@TempDir Path dir) throws Exception {
        List<String> written;
        try (RealRedis redis = RealRedis.start("--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always");
             RawConnection c = new RawConnection(redis.port())) {
            populate(c);
            more(c);
            written = state(c);
        }
        try (TestNode node = rookery(dir, "appendonly", "yes"); RawConnection c = new RawConnection(node.port())) {
            assertThat(state(c)).isEqualTo(written);
        }
    }

    @Test
    void dumpPayloadsRestoreBothWays() throws Exception {
        try (TestNode node = TestNode.start(); RealRedis redis = RealRedis.start("--sanitize-dump-payload", "yes");
             RawConnection ours = new RawConnection(node.port()); RawConnection real = new RawConnection(redis.port())) {
            populate(real);
            more(real);
            copyByDump(real, ours);
            assertThat(state(ours)).isEqualTo(state(real));

            populate(ours);
            more(ours);
            copyByDump(ours, real);
            assertThat(state(real)).isEqualTo(state(ours));
        }
    }

    private static void copyByDump(RawConnection from, RawConnection to) throws Exception {
        to.call("FLUSHALL");
        for (String key : KEYS) {
            RespValue payload = from.call("DUMP", key);
            to.send(List.of("RESTORE".getBytes(), key.getBytes(), "0".getBytes(), ((RespValue.BulkString) payload).value()));
            assertThat(to.readReply()).as("RESTORE " + key).isEqualTo(new RespValue.SimpleString("OK"));
        }
        to.call("SET", "marker", "done");
    }

    @Test
    void realRedisReplicatesFromRookery() throws Exception {
        try (TestNode node = TestNode.start(); RealRedis redis = RealRedis.start();
             RawConnection primary = new RawConnection(node.port()); RawConnection replica = new RawConnection(redis.port())) {
            populate(primary);
            replica.call("REPLICAOF", "127.0.0.1", Integer.toString(node.port()));
            more(primary);
            awaitCaughtUp(replica);
            assertThat(state(replica)).isEqualTo(state(primary));
        }
    }

    @Test
    void rookeryReplicatesFromRealRedis() throws Exception {
        try (RealRedis redis = RealRedis.start(); TestNode node = TestNode.start();
             RawConnection primary = new RawConnection(redis.port()); RawConnection replica = new RawConnection(node.port())) {
            populate(primary);
            replica.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port()));
            more(primary);
            awaitCaughtUp(replica);
            assertThat(state(replica)).isEqualTo(state(primary));
        }
    }

    /** The replica read {@code marker}, the last write of {@link #more}. */
    private static void awaitCaughtUp(RawConnection replica) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!new RespValue.BulkString("done".getBytes()).equals(replica.call("GET", "marker"))) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the replica did not catch up: " + replica.call("INFO", "replication"));
            }
            Thread.sleep(20);
        }
    }
}
