package io.rookery.node.eviction;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.server.OutOfMemoryExit;
import io.rookery.node.support.NodeProcess;
import io.rookery.node.support.RawConnection;
import io.rookery.protocol.RespValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node in a child JVM with a small heap and no maxmemory: as the heap fills, writes get Redis's OOM
 * error while the node keeps answering; a value too big for what is left is refused with an error on a
 * connection that stays usable; and when the JVM does run out of heap the process exits non-zero
 * instead of living on without its command thread.
 */
class HeapExhaustionIT {
    private static final RespValue OOM = new RespValue.Error(OomGuard.OOM);

    private static byte[] setCommand(String key, int valueLength) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        b.writeBytes(("*3\r\n$3\r\nSET\r\n$" + k.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        b.writeBytes(k);
        b.writeBytes(("\r\n$" + valueLength + "\r\n").getBytes(StandardCharsets.UTF_8));
        b.writeBytes(new byte[valueLength]);
        b.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    /** Sends {@code writes} SETs of 1000-byte values in batches of 1000 from a thread of its own. */
    private static void startPipelinedWriter(RawConnection c, int writes) {
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < writes; i += 1000) {
                    ByteArrayOutputStream batch = new ByteArrayOutputStream();
                    for (int j = i; j < i + 1000; j++) {
                        batch.writeBytes(setCommand("key:" + j, 1000));
                    }
                    c.sendRaw(batch.toByteArray());
                }
            } catch (IOException e) {
                // the reader sees the failure
            }
        }, "pipelined-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Test
    void pipelinedWritesBeyondTheHeapGetOomErrorsAndTheNodeKeepsAnswering() throws Exception {
        int writes = 160_000; // 1000-byte values: 160 MB, more than the 128 MB heap
        try (NodeProcess node = NodeProcess.start(List.of("-Xmx128m"));
             RawConnection c = new RawConnection(node.port())) {
            assertThat(node.output()).contains("Memory limit:").contains("because maxmemory is 0");
            startPipelinedWriter(c, writes);
            long ok = 0;
            long oom = 0;
            for (int i = 0; i < writes; i++) {
                RespValue r = c.readReply();
                assertThat(r).as("reply %d of %d", i, writes).isNotNull();
                if (r instanceof RespValue.SimpleString) {
                    assertThat(oom).as("an OK after OOM errors began").isZero();
                    ok++;
                } else {
                    assertThat(r).isEqualTo(OOM);
                    oom++;
                }
            }
            assertThat(ok).as("writes accepted").isGreaterThan(10_000);
            assertThat(oom).as("writes refused with OOM").isGreaterThan(0);
            assertThat(c.call("PING")).isEqualTo(new RespValue.SimpleString("PONG"));
            assertThat(c.call("GET", "key:0")).isEqualTo(new RespValue.BulkString(new byte[1000]));
            assertThat(c.call("DEL", "key:0", "key:1", "key:2")).isEqualTo(new RespValue.Integer(3));
            assertThat(c.call("INFO", "memory").toString()).contains("maxmemory:0");
            assertThat(c.call("CONFIG", "GET", "maxmemory")).isEqualTo(new RespValue.Array(List.of(
                    new RespValue.BulkString("maxmemory".getBytes()), new RespValue.BulkString("0".getBytes()))));
            assertThat(node.isAlive()).isTrue();
        }
    }

    @Test
    void withAPolicyAndAMaxmemoryTheHeapCannotHoldWritesEvictInstead() throws Exception {
        int writes = 160_000;
        try (NodeProcess node = NodeProcess.start(List.of("-Xmx128m"), "maxmemory", "10gb",
                "maxmemory-policy", "allkeys-lru");
             RawConnection c = new RawConnection(node.port())) {
            assertThat(node.output()).contains("is more than the heap can hold");
            startPipelinedWriter(c, writes);
            for (int i = 0; i < writes; i++) {
                assertThat(c.readReply()).as("reply %d of %d", i, writes).isEqualTo(new RespValue.SimpleString("OK"));
            }
            String info = ((RespValue.BulkString) c.call("INFO")).text();
            assertThat(info).contains("maxmemory:10737418240");
            long evicted = info.lines().filter(l -> l.startsWith("evicted_keys:")).mapToLong(l -> Long.parseLong(l.substring(13).trim()))
                    .findFirst().orElseThrow();
            assertThat(evicted).as("keys evicted").isPositive();
            assertThat(c.call("EXISTS", "key:" + (writes - 1))).isEqualTo(new RespValue.Integer(1));
            assertThat(node.isAlive()).isTrue();
        }
    }

    @Test
    void aValueBiggerThanTheHeapHasRoomForGetsAnErrorAndTheConnectionLivesOn() throws Exception {
        try (NodeProcess node = NodeProcess.start(List.of("-Xmx256m"));
             RawConnection c = new RawConnection(node.port())) {
            for (int i = 0; i < 64; i++) {
                c.sendRaw(setCommand("filler:" + i, 1 << 20));
                assertThat(c.readReply()).isEqualTo(new RespValue.SimpleString("OK"));
            }
            int big = 130_000_000;
            c.sendRaw(("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$" + big + "\r\n").getBytes(StandardCharsets.UTF_8));
            byte[] chunk = new byte[1 << 20];
            for (int sent = 0; sent < big; sent += chunk.length) {
                c.sendRaw(java.util.Arrays.copyOf(chunk, Math.min(chunk.length, big - sent)));
            }
            c.sendRaw("\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(c.readReply()).as("the reply to a 130 MB SET with 64 MB held").isEqualTo(OOM);
            assertThat(c.call("PING")).isEqualTo(new RespValue.SimpleString("PONG"));
            assertThat(c.call("EXISTS", "big", "filler:0")).isEqualTo(new RespValue.Integer(1));
            assertThat(node.isAlive()).isTrue();
        }
    }

    @Test
    void whenTheHeapRunsOutAnywayTheProcessExitsNonZero() throws Exception {
        // 30 MB held, within the limit of a 64 MB heap; growing it to 40 MB needs a new 40 MB array
        // while the old one is live: more than the heap, whatever the limit says.
        try (NodeProcess node = NodeProcess.start(List.of("-Xmx64m"));
             RawConnection c = new RawConnection(node.port())) {
            c.sendRaw(setCommand("k", 30_000_000));
            assertThat(c.readReply()).isEqualTo(new RespValue.SimpleString("OK"));
            try {
                c.call("SETRANGE", "k", "40000000", "x");
            } catch (IOException closed) {
                // the process went away mid-command: that is the point
            }
            assertThat(node.exitCode(30)).as("exit code after running out of heap").isEqualTo(OutOfMemoryExit.EXIT_CODE);
            assertThat(node.output()).contains("Out of memory");
        }
    }
}
