package io.rookery.node.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.rookery.node.client.Client;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.dispatch.StreamEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What a primary knows of its replicas' progress: the offsets they acknowledge (REPLCONF ACK), WAIT
 * (blocks a client until enough replicas acknowledged its writes, asking them with REPLCONF GETACK),
 * min-replicas-to-write (NOREPLICAS when too few replicas acknowledged within min-replicas-max-lag),
 * and the largest lag for metrics.
 */
final class ReplicaAcks {
    private final NodeConfig config;
    private final EventLoop loop;
    private final Supplier<List<ReplicaHandle>> replicas;
    private final LongSupplier offset;
    private final BooleanSupplier isReplica;
    private final Consumer<byte[]> feed;
    private final List<Waiter> waiters = new ArrayList<>();

    private record Waiter(Client client, long target, long replicas, long deadline) {
    }

    /**
     * @param replicas  the attached replicas
     * @param offset    the stream's offset (what a write must be acknowledged up to)
     * @param isReplica whether this node follows a primary (min-replicas applies to primaries only)
     * @param feed      appends bytes to the stream (REPLCONF GETACK)
     */
    ReplicaAcks(NodeConfig config, EventLoop loop, Supplier<List<ReplicaHandle>> replicas, LongSupplier offset,
                BooleanSupplier isReplica, Consumer<byte[]> feed) {
        this.config = config;
        this.loop = loop;
        this.replicas = replicas;
        this.offset = offset;
        this.isReplica = isReplica;
        this.feed = feed;
    }

    /** REPLCONF ACK offset from {@code r}. */
    void acknowledged(ReplicaHandle r, long ack) {
        if (ack > r.ackOffset) {
            r.ackOffset = ack;
        }
        r.lastAckMillis = System.currentTimeMillis();
        checkWaiters();
    }

    /** WAIT numreplicas timeout: replies how many replicas acknowledged this client's writes. */
    void waitFor(Client c, long numReplicas, long timeoutMillis) {
        long target = offset.getAsLong();
        long acked = acked(target);
        if (acked >= numReplicas || replicas.get().isEmpty() && numReplicas > 0 && timeoutMillis < 0) {
            c.reply().integer(acked);
            return;
        }
        requestAcks();
        long deadline = timeoutMillis == 0 ? Long.MAX_VALUE : System.currentTimeMillis() + timeoutMillis;
        Waiter w = new Waiter(c, target, numReplicas, deadline);
        waiters.add(w);
        c.blocked = true;
        if (timeoutMillis > 0) {
            loop.schedule(() -> finishWait(w), timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    private long acked(long target) {
        return replicas.get().stream().filter(r -> r.state == ReplicaHandle.State.ONLINE && r.ackOffset >= target).count();
    }

    private void requestAcks() {
        if (!replicas.get().isEmpty()) {
            ByteBuf b = Unpooled.buffer();
            StreamEncoder.command(b, bytes("REPLCONF"), bytes("GETACK"), bytes("*"));
            byte[] cmd = new byte[b.readableBytes()];
            b.readBytes(cmd);
            feed.accept(cmd);
        }
    }

    private void checkWaiters() {
        for (Waiter w : new ArrayList<>(waiters)) {
            if (acked(w.target) >= w.replicas) {
                finishWait(w);
            }
        }
    }

    private void finishWait(Waiter w) {
        if (!waiters.remove(w)) {
            return;
        }
        w.client.reply().integer(acked(w.target));
        w.client.blocked = false;
        w.client.connection().flushSoon();
        w.client.connection().resumeInput();
    }

    /** From the cron: WAITs whose timeout passed reply now. */
    void cron(long now) {
        for (Waiter w : new ArrayList<>(waiters)) {
            if (now >= w.deadline) {
                finishWait(w);
            }
        }
    }

    /** The client disconnected: its WAIT ends. */
    void forget(Client c) {
        waiters.removeIf(w -> w.client == c);
    }

    /** The min-replicas-to-write check: null when writes may go on, else Redis's NOREPLICAS error. */
    String noReplicasError() {
        if (config.minReplicasToWrite <= 0 || isReplica.getAsBoolean()) {
            return null;
        }
        long now = System.currentTimeMillis();
        long good = replicas.get().stream().filter(r -> r.state == ReplicaHandle.State.ONLINE
                && now - r.lastAckMillis <= config.minReplicasMaxLag * 1000L).count();
        return good >= config.minReplicasToWrite ? null : "NOREPLICAS Not enough good replicas to write.";
    }

    /** The largest lag, in bytes, of an online replica's acknowledged offset behind ours. */
    long maxLagBytes() {
        long max = 0;
        long at = offset.getAsLong();
        for (ReplicaHandle r : replicas.get()) {
            if (r.state == ReplicaHandle.State.ONLINE) {
                max = Math.max(max, at - r.ackOffset);
            }
        }
        return max;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
