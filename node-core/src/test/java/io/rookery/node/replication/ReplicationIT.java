package io.rookery.node.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.KeyDump;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Primaries and replicas on loopback: sync, resync, promotion, WAIT, min-replicas, interop with Redis. */
@Tag("replication")
class ReplicationIT {

    private static String info(RawConnection c) throws Exception {
        return ((RespValue.BulkString) c.call("INFO", "all")).text();
    }

    private static long field(RawConnection c, String name) throws Exception {
        for (String line : info(c).split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1));
            }
        }
        throw new AssertionError("no " + name);
    }

    private static void eventually(String what, BooleanSupplier condition) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    /*
     * Polls go over fresh connections: a poll can time out while a replica loads its full sync, and
     * the late reply would then answer the next call made on the same connection.
     */
    private static boolean linkUp(RawConnection replica) {
        try (RawConnection fresh = new RawConnection(replica.port())) {
            return info(fresh).contains("master_link_status:up");
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean sameData(RawConnection a, RawConnection b) {
        try (RawConnection freshA = new RawConnection(a.port()); RawConnection freshB = new RawConnection(b.port())) {
            return KeyDump.all(freshA, 0, 1).equals(KeyDump.all(freshB, 0, 1));
        } catch (Exception e) {
            return false;
        }
    }

    private static void load(RawConnection c, String prefix, int n) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("SET ").append(prefix).append(i).append(" v").append(i).append("\r\n");
        }
        c.sendRaw(sb.toString().getBytes());
        for (int i = 0; i < n; i++) {
            c.readReply();
        }
    }

    @Test
    void aReplicaCatchesUpAndFollowsWrites() throws Exception {
        try (TestNode primary = TestNode.start(); TestNode replica = TestNode.start();
             RawConnection p = new RawConnection(primary.port()); RawConnection r = new RawConnection(replica.port())) {
            load(p, "before:", 20_000);
            p.call("RPUSH", "list", "a", "b");
            p.call("SET", "ttl", "v", "EX", "1000");
            assertThat(r.call("REPLICAOF", "127.0.0.1", Integer.toString(primary.port()))).isEqualTo(new RespValue.SimpleString("OK"));
            eventually("the link to come up", () -> linkUp(r));
            load(p, "after:", 5_000);
            p.call("SELECT", "1");
            p.call("HSET", "h", "f", "v");
            p.call("SELECT", "0");
            p.call("INCRBYFLOAT", "f", "1.5");
            eventually("identical data", () -> sameData(p, r));
            assertThat(r.call("DBSIZE")).isEqualTo(new RespValue.Integer(25_003)); // plus the hash in db 1
            assertThat(r.call("SET", "x", "y")).isEqualTo(new RespValue.Error("READONLY You can't write against a read only replica."));
            assertThat(r.call("ROLE").toString()).contains("slave", Integer.toString(primary.port()), "connected");
            eventually("the primary to list its replica", () -> {
                try {
                    return p.call("ROLE").toString().contains(Integer.toString(replica.port()));
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(field(p, "connected_slaves")).isEqualTo(1);
            assertThat(field(p, "sync_full")).isEqualTo(1);
        }
    }

    @Test
    void aLinkAbandonedWhileConnectingNeverAttaches() throws Exception {
        try (TestNode primary = TestNode.start(); TestNode replica = TestNode.start();
             RawConnection p = new RawConnection(primary.port()); RawConnection r = new RawConnection(replica.port())) {
            // one write, so both commands run in the same pass, before the connection attempt completes
            String port = Integer.toString(primary.port());
            r.sendRaw(("*3\r\n$9\r\nREPLICAOF\r\n$9\r\n127.0.0.1\r\n$" + port.length() + "\r\n" + port + "\r\n"
                    + "*3\r\n$9\r\nREPLICAOF\r\n$2\r\nNO\r\n$3\r\nONE\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(r.readReply()).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(r.readReply()).isEqualTo(new RespValue.SimpleString("OK"));
            Thread.sleep(500);
            assertThat(field(p, "connected_slaves")).isZero();
            assertThat(field(p, "sync_full")).isZero();
            assertThat(info(r)).contains("role:master");
        }
    }

    @Test
    void aDroppedLinkResumesByPartialResync() throws Exception {
        try (TestNode primary = TestNode.start(); TestNode replica = TestNode.start();
             RawConnection p = new RawConnection(primary.port()); RawConnection r = new RawConnection(replica.port())) {
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(primary.port()));
            eventually("the link", () -> linkUp(r));
            load(p, "a:", 1000);
            p.call("CLIENT", "KILL", "TYPE", "replica");
            load(p, "b:", 1000); // written while the replica is away, still inside the backlog
            eventually("identical data", () -> sameData(p, r));
            assertThat(field(p, "sync_partial_ok")).isEqualTo(1);
            assertThat(field(p, "sync_full")).isEqualTo(1);
        }
    }

    @Test
    void aBacklogOverflowFallsBackToAFullSync() throws Exception {
        try (TestNode primary = TestNode.start(c -> set(c, "repl-backlog-size", "16kb")); TestNode replica = TestNode.start();
             RawConnection p = new RawConnection(primary.port()); RawConnection r = new RawConnection(replica.port())) {
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(primary.port()));
            eventually("the link", () -> linkUp(r));
            p.call("CLIENT", "KILL", "TYPE", "replica");
            load(p, "overflow:", 5000); // far more than 16 KB of stream
            eventually("identical data", () -> sameData(p, r));
            assertThat(field(p, "sync_full")).isEqualTo(2);
            assertThat(field(p, "sync_partial_err")).isEqualTo(1);
        }
    }

    @Test
    void aPromotedReplicaServesTheOthersByPartialResync() throws Exception {
        try (TestNode primary = TestNode.start(); TestNode r1 = TestNode.start(); TestNode r2 = TestNode.start();
             RawConnection p = new RawConnection(primary.port()); RawConnection c1 = new RawConnection(r1.port());
             RawConnection c2 = new RawConnection(r2.port())) {
            c1.call("REPLICAOF", "127.0.0.1", Integer.toString(primary.port()));
            c2.call("REPLICAOF", "127.0.0.1", Integer.toString(primary.port()));
            eventually("both links", () -> linkUp(c1) && linkUp(c2));
            load(p, "k:", 2000);
            eventually("both caught up", () -> sameData(p, c1) && sameData(p, c2));
            assertThat(c1.call("REPLICAOF", "NO", "ONE")).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(info(c1)).contains("role:master");
            c2.call("REPLICAOF", "127.0.0.1", Integer.toString(r1.port()));
            eventually("r2 following r1", () -> linkUp(c2));
            c1.call("SET", "after-promotion", "yes");
            eventually("r2 sees r1's writes", () -> sameData(c1, c2));
            assertThat(field(c1, "sync_partial_ok")).as("r2 resumed from r1's replid2 history").isEqualTo(1);
            assertThat(field(c1, "sync_full")).isZero();
        }
    }

    @Test
    void waitCountsAcknowledgementsAndMinReplicasGuardsWrites() throws Exception {
        try (TestNode primary = TestNode.start(); TestNode replica = TestNode.start();
             RawConnection p = new RawConnection(primary.port()); RawConnection r = new RawConnection(replica.port())) {
            assertThat(p.call("WAIT", "1", "100")).isEqualTo(new RespValue.Integer(0));
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(primary.port()));
            eventually("the link", () -> linkUp(r));
            p.call("SET", "k", "v");
            assertThat(p.call("WAIT", "1", "5000")).isEqualTo(new RespValue.Integer(1));
            assertThat(p.call("WAIT", "2", "200")).isEqualTo(new RespValue.Integer(1));
            p.call("CONFIG", "SET", "min-replicas-to-write", "1", "min-replicas-max-lag", "2");
            assertThat(p.call("SET", "guarded", "ok")).isEqualTo(new RespValue.SimpleString("OK"));
            r.call("REPLICAOF", "NO", "ONE"); // the replica goes away
            eventually("NOREPLICAS", () -> {
                try {
                    return p.call("SET", "guarded", "x").equals(new RespValue.Error("NOREPLICAS Not enough good replicas to write."));
                } catch (Exception e) {
                    return false;
                }
            });
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(primary.port()));
            eventually("writes allowed again", () -> {
                try {
                    return p.call("SET", "guarded", "again").equals(new RespValue.SimpleString("OK"));
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    @Test
    @Tag("interop")
    void aRealRedisReplicaFollowsARookeryPrimary() throws Exception {
        try (TestNode primary = TestNode.start(); RealRedis redis = RealRedis.start();
             RawConnection p = new RawConnection(primary.port()); RawConnection r = new RawConnection(redis.port())) {
            load(p, "k:", 5000);
            p.call("ZADD", "z", "1", "a", "2", "b");
            p.call("SET", "t", "v", "EX", "1000");
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(primary.port()));
            eventually("redis's link", () -> linkUp(r));
            load(p, "more:", 2000);
            p.call("SELECT", "1");
            p.call("SADD", "s", "x", "y");
            p.call("SELECT", "0");
            eventually("identical data", () -> sameData(p, r));
            assertThat(p.call("WAIT", "1", "5000")).isEqualTo(new RespValue.Integer(1));
        }
    }

    /**
     * A diskless RDB ends with its EOF mark, and a real Redis replica finds the end only when the mark
     * is the last bytes it read: writes made during the transfer must wait for the replica's first
     * ACK, not follow the mark in the same packet (before, the replica then waited forever).
     */
    @Test
    @Tag("interop")
    void aRealRedisReplicaSyncsDisklesslyWhileWritesContinue() throws Exception {
        try (TestNode primary = TestNode.start(c -> {
                set(c, "repl-diskless-sync", "yes");
                set(c, "repl-diskless-sync-delay", "0");
            }); RealRedis redis = RealRedis.start();
             RawConnection p = new RawConnection(primary.port()); RawConnection r = new RawConnection(redis.port())) {
            for (int round = 0; round < 3; round++) {
                load(p, "k" + round + ":", 100_000);
                java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
                java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
                Thread writer = new Thread(() -> {
                    try (RawConnection w = new RawConnection(primary.port())) {
                        while (writing.get()) {
                            w.call("INCR", "counter");
                            written.incrementAndGet();
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                writer.start();
                try {
                    r.call("REPLICAOF", "127.0.0.1", Integer.toString(primary.port()));
                    eventually("redis's link, round " + round, () -> linkUp(r));
                } finally {
                    writing.set(false);
                    writer.join();
                }
                assertThat(written.get()).as("writes during the sync").isPositive();
                assertThat(p.call("WAIT", "1", "10000")).isEqualTo(new RespValue.Integer(1));
                assertThat(r.call("GET", "counter")).isEqualTo(p.call("GET", "counter"));
                assertThat(r.call("DBSIZE")).isEqualTo(p.call("DBSIZE"));
                r.call("REPLICAOF", "NO", "ONE");
            }
        }
    }

    @Test
    @Tag("interop")
    void aRookeryReplicaFollowsARealRedisPrimary() throws Exception {
        try (RealRedis redis = RealRedis.start(); TestNode replica = TestNode.start();
             RawConnection p = new RawConnection(redis.port()); RawConnection r = new RawConnection(replica.port())) {
            load(p, "k:", 5000);
            p.call("HSET", "h", "f", "v");
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port()));
            eventually("our link", () -> linkUp(r));
            load(p, "more:", 2000);
            p.call("SELECT", "1");
            p.call("LPUSH", "l", "a", "b");
            p.call("SELECT", "0");
            p.call("EXPIRE", "k:1", "1000");
            eventually("identical data", () -> sameData(p, r));
            assertThat(p.call("WAIT", "1", "5000")).isEqualTo(new RespValue.Integer(1));
        }
    }

    /** Every key of database 0 compared value by value, in pipelined batches. */
    private static void assertEveryKeyEqual(RawConnection a, RawConnection b, long expectedKeys) throws Exception {
        assertThat(b.call("DBSIZE")).isEqualTo(a.call("DBSIZE"));
        assertThat(a.call("DBSIZE")).isEqualTo(new RespValue.Integer(expectedKeys));
        long cursor = 0;
        long compared = 0;
        do {
            RespValue.Array page = (RespValue.Array) a.call("SCAN", Long.toString(cursor), "COUNT", "1000");
            cursor = Long.parseLong(((RespValue.BulkString) page.elements().get(0)).text());
            List<RespValue> keys = ((RespValue.Array) page.elements().get(1)).elements();
            if (keys.isEmpty()) {
                continue;
            }
            List<byte[]> mget = new java.util.ArrayList<>();
            mget.add("MGET".getBytes());
            keys.forEach(k -> mget.add(((RespValue.BulkString) k).value()));
            a.send(mget);
            RespValue va = a.readReply();
            b.send(mget);
            RespValue vb = b.readReply();
            assertThat(vb).isEqualTo(va);
            compared += keys.size();
        } while (cursor != 0);
        assertThat(compared).isGreaterThanOrEqualTo(expectedKeys);
    }

    @Test
    void aReplicaCatchesUpWithAMillionKeysWhileWritesContinue() throws Exception {
        try (TestNode primary = TestNode.start(); TestNode replica = TestNode.start();
             RawConnection p = new RawConnection(primary.port()); RawConnection r = new RawConnection(replica.port())) {
            for (int chunk = 0; chunk < 10; chunk++) {
                StringBuilder sb = new StringBuilder();
                for (int i = chunk * 100_000; i < (chunk + 1) * 100_000; i++) {
                    sb.append("SET key:").append(i).append(" value-").append(i).append("\r\n");
                }
                p.sendRaw(sb.toString().getBytes());
                for (int i = 0; i < 100_000; i++) {
                    p.readReply();
                }
            }
            java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread writer = new Thread(() -> {
                try (RawConnection w = new RawConnection(primary.port())) {
                    for (int i = 0; writing.get(); i++) {
                        w.call("SET", "key:" + (i % 1_000_000), "rewritten-" + i);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(primary.port()));
            eventually("the link", () -> linkUp(r));
            Thread.sleep(500);
            writing.set(false);
            writer.join();
            assertThat(p.call("WAIT", "1", "10000")).isEqualTo(new RespValue.Integer(1));
            assertEveryKeyEqual(p, r, 1_000_000);
        }
    }

    @Test
    void diskBackedAndDisklessFullSyncsBothDeliverTheData() throws Exception {
        for (String diskless : new String[]{"no", "yes"}) {
            try (TestNode primary = TestNode.start(c -> set(c, "repl-diskless-sync", diskless));
                 TestNode replica = TestNode.start();
                 RawConnection p = new RawConnection(primary.port()); RawConnection r = new RawConnection(replica.port())) {
                load(p, "k:", 3000);
                p.call("HSET", "h", "f", "v");
                r.call("REPLICAOF", "127.0.0.1", Integer.toString(primary.port()));
                eventually("the link (diskless " + diskless + ")", () -> linkUp(r));
                load(p, "later:", 100);
                eventually("identical data (diskless " + diskless + ")", () -> sameData(p, r));
            }
        }
    }

    @Test
    void replicasAnnounceTheirAddressAndTheBacklogExpiresWithoutThem() throws Exception {
        try (TestNode primary = TestNode.start(c -> set(c, "repl-backlog-ttl", "1"));
             TestNode replica = TestNode.start(c -> {
                 set(c, "replica-announce-ip", "10.1.2.3");
                 set(c, "replica-announce-port", "7001");
             });
             RawConnection p = new RawConnection(primary.port()); RawConnection r = new RawConnection(replica.port())) {
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(primary.port()));
            eventually("the link", () -> linkUp(r));
            eventually("the announced address", () -> {
                try {
                    return info(p).contains("slave0:ip=10.1.2.3,port=7001,state=online");
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(field(p, "repl_backlog_active")).isOne();
            r.call("REPLICAOF", "NO", "ONE");
            eventually("the backlog to be freed", () -> {
                try {
                    return field(p, "repl_backlog_active") == 0;
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    @Test
    void replicaofInTheConfigurationFollowsAtStartUp() throws Exception {
        try (TestNode primary = TestNode.start(); RawConnection p = new RawConnection(primary.port())) {
            p.call("SET", "from-config", "yes");
            try (TestNode replica = TestNode.start(c -> set(c, "replicaof", "127.0.0.1 " + primary.port()));
                 RawConnection r = new RawConnection(replica.port())) {
                eventually("the link", () -> linkUp(r));
                eventually("the data", () -> sameData(p, r));
                assertThat(r.call("CONFIG", "GET", "replicaof").toString()).contains("127.0.0.1 " + primary.port());
            }
        }
    }

    @Test
    void replicasOfReplicasFollowTheChain() throws Exception {
        try (TestNode primary = TestNode.start(); TestNode middle = TestNode.start(); TestNode leaf = TestNode.start();
             RawConnection p = new RawConnection(primary.port()); RawConnection m = new RawConnection(middle.port());
             RawConnection l = new RawConnection(leaf.port())) {
            load(p, "before:", 1000);
            m.call("REPLICAOF", "127.0.0.1", Integer.toString(primary.port()));
            eventually("middle link", () -> linkUp(m));
            l.call("REPLICAOF", "127.0.0.1", Integer.toString(middle.port()));
            eventually("leaf link", () -> linkUp(l));
            load(p, "after:", 1000);
            p.call("DEL", "before:0");
            eventually("the leaf matches the primary", () -> sameData(p, l));
            assertThat(field(l, "slave_repl_offset")).isEqualTo(field(p, "master_repl_offset"));
        }
    }

    @Test
    void aReplicaAuthenticatesWithMasterauth() throws Exception {
        try (TestNode primary = TestNode.start(c -> set(c, "requirepass", "s3cret"));
             TestNode replica = TestNode.start(c -> set(c, "masterauth", "s3cret"));
             RawConnection p = new RawConnection(primary.port()); RawConnection r = new RawConnection(replica.port())) {
            p.call("AUTH", "s3cret");
            p.call("SET", "secret-data", "v");
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(primary.port()));
            eventually("the authenticated link", () -> linkUp(r));
            eventually("the data", () -> {
                try {
                    return r.call("GET", "secret-data").equals(new RespValue.BulkString("v".getBytes()));
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    @Test
    void aReplicaWithoutItsPrimaryRefusesStaleReadsWhenConfiguredTo() throws Exception {
        try (TestNode replica = TestNode.start(c -> set(c, "replica-serve-stale-data", "no"));
             RawConnection r = new RawConnection(replica.port())) {
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(RealRedis.freePort())); // nobody listens there
            assertThat(r.call("GET", "k")).isEqualTo(new RespValue.Error(
                    "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."));
            assertThat(r.call("INFO", "replication")).isInstanceOf(RespValue.BulkString.class); // stale-flagged commands run
            r.call("CONFIG", "SET", "replica-serve-stale-data", "yes");
            assertThat(r.call("GET", "k")).isInstanceOf(RespValue.Null.class);
        }
    }

    private static void set(io.rookery.node.config.NodeConfig c, String name, String value) {
        try {
            c.load(name, value);
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }
}
