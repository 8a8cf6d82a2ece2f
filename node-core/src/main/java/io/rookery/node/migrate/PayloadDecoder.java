package io.rookery.node.migrate;

import io.rookery.node.rdb.DumpPayload;
import io.rookery.node.rdb.RdbFormatException;
import io.rookery.node.types.TypeContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Checks and decodes RESTORE payloads off the command thread, so that a big value arriving from a
 * MIGRATE (a set of a million members is tens of megabytes) does not stall the node's other clients
 * while it is rebuilt. One daemon thread for the process, in submission order, that ends after a
 * minute without work and is started again on demand. Decoding builds a value that is not attached
 * to any keyspace yet (it reports no memory until a database adds it), so it touches nothing the
 * command thread owns; the caller hands the result back to the command thread.
 */
public final class PayloadDecoder {
    /** RESTORE decodes payloads from this size on here (a smaller one takes well under a millisecond inline). */
    public static final int OFF_THREAD_BYTES = 256 * 1024;

    private static final PayloadDecoder SHARED = new PayloadDecoder();

    private final ThreadPoolExecutor thread;

    private PayloadDecoder() {
        thread = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "rookery-restore-decode");
            t.setDaemon(true);
            return t;
        });
        thread.allowCoreThreadTimeOut(true);
    }

    public static PayloadDecoder shared() {
        return SHARED;
    }

    /** A decoded payload: the value, or RESTORE's error for it (without the leading "-"). */
    public record Decoded(Object value, String error) {
    }

    /**
     * Verifies (RDB version, and the CRC64 when {@code checkCrc}) and decodes {@code payload} here,
     * on the calling thread, with RESTORE's errors.
     */
    public static Decoded decodeNow(byte[] payload, boolean checkCrc, TypeContext types) {
        if (!DumpPayload.verify(payload, checkCrc)) {
            return new Decoded(null, "ERR DUMP payload version or checksum are wrong");
        }
        try {
            return new Decoded(DumpPayload.read(payload, types), null);
        } catch (RdbFormatException e) {
            return new Decoded(null, "ERR Bad data format");
        } catch (RuntimeException e) {
            return new Decoded(null, "ERR Bad data format"); // a payload that lies about its sizes
        }
    }

    /** As {@link #decodeNow}, on the decoder thread; the future completes there. */
    public CompletableFuture<Decoded> decode(byte[] payload, boolean checkCrc, TypeContext types) {
        return CompletableFuture.supplyAsync(() -> decodeNow(payload, checkCrc, types), thread);
    }

    /**
     * Runs {@code task} on the decoder thread after the decodes already queued: tests hold the thread
     * with it to observe a RESTORE that waits for its payload.
     */
    public void execute(Runnable task) {
        thread.execute(task);
    }
}
