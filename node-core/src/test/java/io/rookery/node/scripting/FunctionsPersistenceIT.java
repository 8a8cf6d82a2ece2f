package io.rookery.node.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FUNCTION LOAD is a write: it reaches the AOF (a restart loads the library again) and the
 * replication stream (a replica can call the function), and no-writes functions run on the replica.
 */
class FunctionsPersistenceIT {
    private static final String LIBRARY = "#!lua name=counter\n"
            + "redis.register_function('bump', function(keys) return redis.call('incr', keys[1]) end)\n"
            + "redis.register_function{function_name='peek', callback=function(keys) return redis.call('get', keys[1]) end,"
            + " flags={'no-writes'}}";

    private static void eventually(String what, BooleanSupplier condition) throws Exception {
        for (int i = 0; i < 750; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    @Test
    void aLibraryLoadedWithFunctionLoadSurvivesARestartThroughTheAof(@TempDir Path dir) throws Exception {
        java.util.function.Consumer<io.rookery.node.config.NodeConfig> aof = c -> {
            try {
                c.load("dir", dir.toString());
                c.load("save", "");
                c.load("appendonly", "yes");
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        };
        try (TestNode node = TestNode.start(aof); RawConnection c = new RawConnection(node.port())) {
            assertThat(c.call("FUNCTION", "LOAD", LIBRARY)).isEqualTo(new RespValue.BulkString("counter".getBytes()));
            assertThat(c.call("FCALL", "bump", "1", "n")).isEqualTo(new RespValue.Integer(1));
        }
        try (TestNode node = TestNode.start(aof); RawConnection c = new RawConnection(node.port())) {
            assertThat(c.call("FCALL", "bump", "1", "n")).isEqualTo(new RespValue.Integer(2));
        }
    }

    @Test
    void debugReloadReplacesTheLibrariesUnlessItMergesIntoThem(@TempDir Path dir) throws Exception {
        java.util.function.Consumer<io.rookery.node.config.NodeConfig> debug = c -> {
            try {
                c.load("dir", dir.toString());
                c.load("save", "");
                c.load("enable-debug-command", "yes");
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        };
        try (TestNode node = TestNode.start(debug); RawConnection c = new RawConnection(node.port())) {
            c.call("FUNCTION", "LOAD", LIBRARY);
            RespValue ok = new RespValue.SimpleString("OK");
            assertThat(c.call("DEBUG", "RELOAD")).isEqualTo(ok);
            // as redis-server: the file's library collides with the one kept by NOFLUSH
            assertThat(c.call("DEBUG", "RELOAD", "NOFLUSH")).isEqualTo(new RespValue.Error("ERR Error trying to load the RDB dump"));
            assertThat(c.call("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE")).isEqualTo(ok);
            assertThat(c.call("FCALL", "bump", "1", "n")).isEqualTo(new RespValue.Integer(1));
            assertThat(c.call("FUNCTION", "DELETE", "counter")).isEqualTo(ok);
            assertThat(c.call("DEBUG", "RELOAD", "NOSAVE")).isEqualTo(ok); // the file (saved before the bump) comes back
            assertThat(c.call("FCALL", "bump", "1", "n")).isEqualTo(new RespValue.Integer(1));
        }
    }

    @Test
    void aLibrarySurvivesARestartThroughTheRdbWhichRealRedisReadsToo(@TempDir Path dir) throws Exception {
        java.util.function.Consumer<io.rookery.node.config.NodeConfig> rdb = c -> {
            try {
                c.load("dir", dir.toString());
                c.load("save", "");
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        };
        try (TestNode node = TestNode.start(rdb); RawConnection c = new RawConnection(node.port())) {
            c.call("FUNCTION", "LOAD", LIBRARY);
            c.call("FCALL", "bump", "1", "n");
            assertThat(c.call("SAVE")).isEqualTo(new RespValue.SimpleString("OK"));
        }
        try (TestNode node = TestNode.start(rdb); RawConnection c = new RawConnection(node.port())) {
            assertThat(c.call("FCALL", "bump", "1", "n")).isEqualTo(new RespValue.Integer(2));
        }
        try (io.rookery.node.support.RealRedis redis = io.rookery.node.support.RealRedis.start("--dir", dir.toString(),
                "--dbfilename", "dump.rdb"); RawConnection c = new RawConnection(redis.port())) {
            assertThat(c.call("FCALL", "bump", "1", "n")).isEqualTo(new RespValue.Integer(2));
        }
    }

    @Test
    void aLibraryReachesAReplicaWhichRunsItsNoWritesFunctions() throws Exception {
        try (TestNode primary = TestNode.start(); TestNode replica = TestNode.start();
             RawConnection p = new RawConnection(primary.port()); RawConnection r = new RawConnection(replica.port())) {
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(primary.port()));
            eventually("the link", () -> {
                try {
                    return ((RespValue.BulkString) r.call("INFO", "replication")).text().contains("master_link_status:up");
                } catch (Exception e) {
                    return false;
                }
            });
            p.call("FUNCTION", "LOAD", LIBRARY);
            p.call("FCALL", "bump", "1", "n");
            try (TestNode late = TestNode.start(); RawConnection l = new RawConnection(late.port())) {
                l.call("REPLICAOF", "127.0.0.1", Integer.toString(primary.port()));
                eventually("the full sync to carry the library", () -> {
                    try {
                        return new RespValue.BulkString("1".getBytes()).equals(l.call("FCALL_RO", "peek", "1", "n"));
                    } catch (Exception e) {
                        return false;
                    }
                });
            }
            eventually("the function on the replica", () -> {
                try {
                    return new RespValue.BulkString("1".getBytes()).equals(r.call("FCALL_RO", "peek", "1", "n"));
                } catch (Exception e) {
                    return false;
                }
            });
            RespValue write = r.call("FCALL", "bump", "1", "n");
            // the gate judges FCALL by the function's flags, as Redis's fcallGetCommandFlags (real Redis answers this)
            assertThat(write).isEqualTo(new RespValue.Error("READONLY You can't write against a read only replica."));
        }
    }
}
