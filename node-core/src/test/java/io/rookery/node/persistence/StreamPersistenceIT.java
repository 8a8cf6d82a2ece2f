package io.rookery.node.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streams survive DEBUG RELOAD (RDB), the AOF (its commands and a rewrite without preamble) and replication. */
class StreamPersistenceIT {

    private static Consumer<NodeConfig> with(Path dir, String... directives) {
        return c -> {
            try {
                c.load("dir", dir.toString());
                c.load("save", "");
                c.load("enable-debug-command", "yes");
                for (int i = 0; i < directives.length; i += 2) {
                    c.load(directives[i], directives[i + 1]);
                }
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** Entries with mixed field sets, tombstones, two groups, pending entries, NOACK reads, claims, an empty stream. */
    static void populate(RawConnection c) throws Exception {
        c.call("FLUSHALL");
        c.call("CONFIG", "SET", "stream-node-max-entries", "20");
        for (int i = 1; i <= 120; i++) {
            if (i % 7 == 0) {
                c.call("XADD", "s", i + "-" + i, "other", "field", "n", Integer.toString(i));
            } else {
                c.call("XADD", "s", i + "-" + i, "n", Integer.toString(i), "payload", "x".repeat(i % 5 == 0 ? 300 : 3));
            }
        }
        c.call("XADD", "s", "MAXLEN", "~", "100", "*", "last", "one");
        c.call("XDEL", "s", "50-50", "51-51");
        c.call("XGROUP", "CREATE", "s", "g1", "0");
        c.call("XGROUP", "CREATE", "s", "g2", "$");
        c.call("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "5", "STREAMS", "s", ">");
        c.call("XREADGROUP", "GROUP", "g1", "bob", "NOACK", "COUNT", "3", "STREAMS", "s", ">");
        c.call("XREADGROUP", "GROUP", "g1", "carol", "COUNT", "4", "STREAMS", "s", ">");
        c.call("XACK", "s", "g1", first(c, "s", 1));
        c.call("XCLAIM", "s", "g1", "dave", "0", first(c, "s", 13), "RETRYCOUNT", "7");
        c.call("XGROUP", "CREATECONSUMER", "s", "g2", "idle");
        c.call("XADD", "empty", "MAXLEN", "0", "*", "a", "b");
        c.call("XGROUP", "CREATE", "empty", "g", "$");
        c.call("CONFIG", "SET", "stream-node-max-entries", "100");
    }

    /** The id of the {@code n}-th entry (1-based) of the stream. */
    private static String first(RawConnection c, String key, int n) throws Exception {
        RespValue.Array range = (RespValue.Array) c.call("XRANGE", key, "-", "+", "COUNT", Integer.toString(n));
        return ((RespValue.BulkString) ((RespValue.Array) range.elements().get(n - 1)).elements().get(0)).text();
    }

    /** Everything the stream and its groups hold, pending entries with their delivery times included. */
    static List<String> full(RawConnection c) throws Exception {
        List<String> out = new ArrayList<>();
        for (String key : List.of("s", "empty")) {
            out.add(c.call("XINFO", "STREAM", key, "FULL", "COUNT", "0").toString());
        }
        return out;
    }

    @Test
    void debugReloadKeepsEntriesGroupsAndPendingLists(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.start(with(dir)); RawConnection c = new RawConnection(node.port())) {
            populate(c);
            List<String> before = full(c);
            RespValue digest = c.call("DEBUG", "DIGEST");
            assertThat(c.call("DEBUG", "RELOAD")).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(full(c)).isEqualTo(before);
            assertThat(c.call("DEBUG", "DIGEST")).isEqualTo(digest);
            assertThat(c.call("OBJECT", "ENCODING", "s")).isEqualTo(new RespValue.BulkString("stream".getBytes()));
        }
    }

    @Test
    void theAofReplaysStreamsAndARewriteWithoutPreambleRebuildsThem(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.start(with(dir, "appendonly", "yes", "aof-use-rdb-preamble", "no"));
             RawConnection c = new RawConnection(node.port())) {
            populate(c);
            // a replayed XCLAIM or XREADGROUP sees its consumer at replay time, and replayed XADDs fill
            // nodes by the current stream-node-max-entries: so it is in Redis too
            List<String> before = withoutSeenTimes(full(c));
            assertThat(c.call("DEBUG", "LOADAOF")).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(withoutSeenTimes(full(c))).isEqualTo(before);
            c.call("BGREWRITEAOF");
            eventually("the rewrite to finish", () -> info(c).contains("aof_rewrite_in_progress:0")
                    && info(c).contains("aof_rewrite_scheduled:0"));
            assertThat(c.call("DEBUG", "LOADAOF")).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(withoutSeenTimes(full(c))).isEqualTo(before);
        }
    }

    private static List<String> withoutSeenTimes(List<String> infos) {
        return infos.stream().map(s -> s.replaceAll("(seen-time|radix-tree-keys|radix-tree-nodes)\\], Integer\\[value=\\d+\\]", "$1]"))
                .toList();
    }

    private static String info(RawConnection c) {
        try {
            return ((RespValue.BulkString) c.call("INFO")).text();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void eventually(String what, BooleanSupplier condition) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    /** What a replica must agree on: entries, counters, groups and who holds which pending entry. */
    private static List<String> replicated(int port) {
        try (RawConnection c = new RawConnection(port)) {
            List<String> out = new ArrayList<>();
            for (String key : List.of("s", "empty")) {
                out.add(c.call("XRANGE", key, "-", "+").toString());
                RespValue.Array info = (RespValue.Array) c.call("XINFO", "STREAM", key);
                out.add(info.elements().subList(0, 2).toString() + info.elements().subList(6, 14));
                out.add(c.call("XINFO", "GROUPS", key).toString());
            }
            for (RespValue p : ((RespValue.Array) c.call("XPENDING", "s", "g1", "-", "+", "100")).elements()) {
                List<RespValue> e = ((RespValue.Array) p).elements();
                out.add(e.get(0) + " " + e.get(1) + " " + e.get(3));
            }
            return out;
        } catch (Exception e) {
            return List.of(e.toString());
        }
    }

    @Test
    void aReplicaFollowsStreamWritesGroupReadsAndClaims(@TempDir Path a, @TempDir Path b) throws Exception {
        try (TestNode primary = TestNode.start(with(a)); TestNode replica = TestNode.start(with(b));
             RawConnection p = new RawConnection(primary.port()); RawConnection r = new RawConnection(replica.port())) {
            p.call("XADD", "s", "1-1", "before", "sync");
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(primary.port()));
            eventually("the link to come up", () -> {
                try (RawConnection fresh = new RawConnection(replica.port())) {
                    return ((RespValue.BulkString) fresh.call("INFO", "replication")).text().contains("master_link_status:up");
                } catch (Exception e) {
                    return false;
                }
            });
            populate(p);
            p.call("XAUTOCLAIM", "s", "g1", "erin", "0", "0", "COUNT", "2");
            p.call("XTRIM", "s", "MINID", "~", first(p, "s", 30));
            eventually("the replica to hold the same streams", () -> replicated(primary.port()).equals(replicated(replica.port())));
        }
    }
}
