package io.rookery.node.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A RESTORE of a big value (a set of a million members, as a MIGRATE target receives it) is decoded
 * off the command thread: while its payload waits for the decoder (held here by the test, so every
 * step is observed, not timed) the node answers other clients, a command on the key being restored
 * waits and then sees the whole value, and RESTORE's replies and errors are those of a RESTORE that
 * ran at once.
 */
class RestoreOffThreadIT {
    private static final int MEMBERS = 1_000_000;

    @Test
    void otherClientsAreServedWhileABigPayloadDecodesAndTheKeyAppearsWhole() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection restorer = new RawConnection(node.port());
             RawConnection reader = new RawConnection(node.port()); RawConnection other = new RawConnection(node.port())) {
            byte[] payload = bigSetPayload(other, MEMBERS);
            CountDownLatch decoderHeld = new CountDownLatch(1);
            CountDownLatch letGo = new CountDownLatch(1);
            PayloadDecoder.shared().execute(() -> {
                decoderHeld.countDown();
                await(letGo);
            });
            assertThat(decoderHeld.await(30, TimeUnit.SECONDS)).isTrue();
            try {
                restorer.send(List.of(b("RESTORE"), b("copy"), b("0"), payload));
                awaitCondition(() -> waiting(other, "restore"));

                assertThat(other.call("PING")).isEqualTo(new RespValue.SimpleString("PONG"));
                assertThat(other.call("SET", "unrelated", "u")).isEqualTo(new RespValue.SimpleString("OK"));
                assertThat(other.call("GET", "unrelated")).isEqualTo(new RespValue.BulkString(b("u")));
                reader.send(List.of(b("SCARD"), b("copy")));
                awaitCondition(() -> waitingClients(other) == 2); // the RESTORE, and the SCARD of its key
                assertThat(waiting(other, "restore")).as("the RESTORE still waits for its payload").isTrue();
            } finally {
                letGo.countDown();
            }
            assertThat(restorer.readReply()).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(reader.readReply()).isEqualTo(new RespValue.Integer(MEMBERS));
            assertThat(other.call("SISMEMBER", "copy", "m" + (MEMBERS - 1))).isEqualTo(new RespValue.Integer(1));
        }
    }

    @Test
    void aBigPayloadDecodedOffTheCommandThreadKeepsRestoreErrorsAndOptions() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection c = new RawConnection(node.port())) {
            byte[] payload = bigSetPayload(c, 100_000); // above the off-thread size, smaller to build
            byte[] corrupt = payload.clone();
            corrupt[corrupt.length / 2] ^= 0x5a;
            c.send(List.of(b("RESTORE"), b("bad"), b("0"), corrupt));
            assertThat(c.readReply()).isEqualTo(new RespValue.Error("ERR DUMP payload version or checksum are wrong"));
            assertThat(c.call("EXISTS", "bad")).isEqualTo(new RespValue.Integer(0));

            c.send(List.of(b("RESTORE"), b("big"), b("0"), payload));
            assertThat(c.readReply()).isEqualTo(new RespValue.Error("BUSYKEY Target key name already exists."));

            c.send(List.of(b("RESTORE"), b("big"), b("100000"), payload, b("REPLACE")));
            assertThat(c.readReply()).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(((RespValue.Integer) c.call("PTTL", "big")).value()).isBetween(1L, 100_000L);
            assertThat(c.call("SCARD", "big")).isEqualTo(new RespValue.Integer(100_000));
            assertThat(c.call("PING")).isEqualTo(new RespValue.SimpleString("PONG"));
        }
    }

    /** Builds a set of {@code members} members at "big" and returns its DUMP payload. */
    private static byte[] bigSetPayload(RawConnection c, int members) throws IOException {
        int batch = 1000;
        for (int start = 0; start < members; start += batch) {
            List<byte[]> args = new ArrayList<>(batch + 2);
            args.add(b("SADD"));
            args.add(b("big"));
            for (int i = start; i < start + batch; i++) {
                args.add(b("m" + i));
            }
            c.send(args);
        }
        for (int start = 0; start < members; start += batch) {
            assertThat(c.readReply()).isEqualTo(new RespValue.Integer(batch));
        }
        byte[] payload = ((RespValue.BulkString) c.call("DUMP", "big")).value();
        assertThat(payload.length).isGreaterThan(PayloadDecoder.OFF_THREAD_BYTES);
        return payload;
    }

    /** Whether CLIENT LIST shows a client waiting (flag b) in {@code command}. */
    private static boolean waiting(RawConnection c, String command) throws IOException {
        String list = ((RespValue.BulkString) c.call("CLIENT", "LIST")).text();
        return list.lines().anyMatch(l -> l.matches(".* flags=\\w*b\\w* .*") && l.contains(" cmd=" + command + " "));
    }

    private static long waitingClients(RawConnection c) throws IOException {
        String list = ((RespValue.BulkString) c.call("CLIENT", "LIST")).text();
        return list.lines().filter(l -> l.matches(".* flags=\\w*b\\w* .*")).count();
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitCondition(Check check) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 30 s");
            }
            Thread.sleep(10);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let the decoder go");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
