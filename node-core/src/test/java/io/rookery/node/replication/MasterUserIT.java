package io.rookery.node.replication;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Replicas that authenticate with an ACL user ({@code masteruser} + {@code masterauth}) holding only
 * the replication commands, with Rookery and real redis-server on either side of the link.
 */
@Tag("replication")
class MasterUserIT {
    private static final String[] REPLICATION_USER = {"ACL", "SETUSER", "repl", "on", ">pw", "+psync", "+replconf", "+ping"};

    private static void eventually(String what, BooleanSupplier condition) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    /** The replica on {@code port} answers {@code value} for key k (fresh connections: a full sync may be loading). */
    private static boolean holds(int port, String value) {
        try (RawConnection c = new RawConnection(port)) {
            return c.call("GET", "k").equals(new RespValue.BulkString(value.getBytes()));
        } catch (Exception e) {
            return false;
        }
    }

    private static void set(io.rookery.node.config.NodeConfig c, String name, String value) {
        try {
            c.load(name, value);
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRookeryReplicaAuthenticatesAsAnAclUserOfARookeryPrimary() throws Exception {
        try (TestNode primary = TestNode.start(c -> set(c, "requirepass", "adminpw"));
             TestNode replica = TestNode.start(c -> {
                 set(c, "masteruser", "repl");
                 set(c, "masterauth", "pw");
             });
             RawConnection p = new RawConnection(primary.port()); RawConnection r = new RawConnection(replica.port())) {
            p.call("AUTH", "adminpw");
            p.call(REPLICATION_USER);
            p.call("SET", "k", "from-rookery");
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(primary.port()));
            eventually("the replica's copy", () -> holds(replica.port(), "from-rookery"));
        }
    }

    @Test
    void aRookeryReplicaAuthenticatesAsAnAclUserOfRealRedis() throws Exception {
        try (RealRedis redis = RealRedis.start("--requirepass", "adminpw");
             TestNode replica = TestNode.start(c -> {
                 set(c, "masteruser", "repl");
                 set(c, "masterauth", "pw");
             });
             RawConnection p = new RawConnection(redis.port()); RawConnection r = new RawConnection(replica.port())) {
            p.call("AUTH", "adminpw");
            p.call(REPLICATION_USER);
            p.call("SET", "k", "from-redis");
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port()));
            eventually("the replica's copy", () -> holds(replica.port(), "from-redis"));
        }
    }

    @Test
    void realRedisReplicatesFromRookeryAsAnAclUser() throws Exception {
        try (TestNode primary = TestNode.start(c -> set(c, "requirepass", "adminpw"));
             RawConnection p = new RawConnection(primary.port())) {
            p.call("AUTH", "adminpw");
            p.call(REPLICATION_USER);
            p.call("SET", "k", "from-rookery");
            try (RealRedis replica = RealRedis.start("--replicaof", "127.0.0.1", Integer.toString(primary.port()),
                    "--masteruser", "repl", "--masterauth", "pw")) {
                eventually("the real replica's copy", () -> holds(replica.port(), "from-rookery"));
            }
        }
    }
}
