package io.rookery.admin.cluster;

import io.rookery.protocol.RespValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One authenticated connection to one node, with blocking calls bounded by a timeout: the executor
 * and the reader drive a cluster step by step, so waiting for each reply is what they want. Pipelined
 * batches ({@link #callAll}) send every command before waiting for the first reply.
 *
 * <p>An error reply throws {@link NodeCommandException} carrying the reply; so do a lost connection
 * and a timeout (after which the connection is closed, since its replies are out of step).
 */
public final class NodeConnection implements AutoCloseable {
    private final NodeAddress address;
    private final NodeLink client;
    private final Duration timeout;

    NodeConnection(NodeAddress address, NodeLink client, Duration timeout) {
        this.address = address;
        this.client = client;
        this.timeout = timeout;
    }

    public NodeAddress address() {
        return address;
    }

    public boolean isOpen() {
        return !client.isClosed();
    }

    /** Sends one command and waits for its reply; an error reply throws. */
    public RespValue call(String... args) {
        return await(client.send(bytes(args)), args);
    }

    /** As {@link #call(String...)} with binary arguments (keys). */
    public RespValue call(byte[]... args) {
        return await(client.send(args), new String[]{new String(args[0], StandardCharsets.UTF_8)});
    }

    /**
     * Sends one command without waiting for its reply, so that commands to several nodes can be in
     * flight together; {@link Reply#await()} then waits as {@link #call(String...)} does.
     */
    public Reply send(String... args) {
        return new Reply(client.send(bytes(args)), args);
    }

    /** As {@link #send(String...)} with binary arguments (keys). */
    public Reply send(byte[]... args) {
        return new Reply(client.send(args), new String[]{new String(args[0], StandardCharsets.UTF_8)});
    }

    /** A command sent by {@link #send}: its reply is awaited with the connection's timeout. */
    public final class Reply {
        private final CompletableFuture<RespValue> future;
        private final String[] args;

        private Reply(CompletableFuture<RespValue> future, String[] args) {
            this.future = future;
            this.args = args;
        }

        /** The reply; an error reply, a lost connection or a timeout throws {@link NodeCommandException}. */
        public RespValue await() {
            return NodeConnection.this.await(future, args);
        }
    }

    /** The reply as text (simple, bulk or verbatim string); an error reply throws. */
    public String text(String... args) {
        return RespValues.text(call(args));
    }

    /** The reply as an integer; an error reply throws. */
    public long integer(String... args) {
        return RespValues.integer(call(args));
    }

    /**
     * Sends every command at once (one write) and waits for all replies, in order. Error replies are returned as
     * {@link RespValue.Error} (one refused command must not hide the others' replies); only a lost
     * connection or a timeout throws.
     */
    public List<RespValue> callAll(List<String[]> commands) {
        List<byte[][]> encoded = new ArrayList<>(commands.size());
        for (String[] c : commands) {
            encoded.add(bytes(c));
        }
        List<CompletableFuture<RespValue>> futures = client.sendAll(encoded);
        List<RespValue> replies = new ArrayList<>(commands.size());
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < futures.size(); i++) {
            replies.add(awaitRaw(futures.get(i), commands.get(i), Math.max(1, deadline - System.nanoTime())));
        }
        return replies;
    }

    private static byte[][] bytes(String[] args) {
        byte[][] out = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            out[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    private RespValue await(CompletableFuture<RespValue> reply, String[] args) {
        RespValue v = awaitRaw(reply, args, timeout.toNanos());
        if (v instanceof RespValue.Error e) {
            throw new NodeCommandException(address, e.message(), address + " refused " + name(args) + ": " + e.message(), null);
        }
        return v;
    }

    private RespValue awaitRaw(CompletableFuture<RespValue> reply, String[] args, long nanos) {
        try {
            return reply.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            client.close();
            throw new NodeCommandException(address, null, address + " did not answer " + name(args) + " within "
                    + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new NodeCommandException(address, null, address + " is unreachable (" + e.getCause() + ") during "
                    + name(args), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new NodeCommandException(address, null, "interrupted waiting for " + address, e);
        }
    }

    /** The command's name and first argument for messages: never the rest (AUTH carries a password). */
    private static String name(String[] args) {
        if (args.length == 0) {
            return "(empty command)";
        }
        String first = args[0].toUpperCase(java.util.Locale.ROOT);
        return args.length > 1 && !first.equals("AUTH") && !first.equals("MIGRATE") ? first + " " + args[1] : first;
    }

    @Override
    public void close() {
        client.close();
    }
}
