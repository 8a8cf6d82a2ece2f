package io.rookery.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The backend connections of one event loop, which only that loop touches: one shared, pipelined link
 * per primary and protocol for every client of the loop, and a bounded pool of dedicated links (their
 * count is capped across loops by {@link GatewayContext#pinned}). It also batches output: links and
 * client sessions that buffered bytes during the loop's turn are written once, at its end.
 *
 * <p>A backend that could not be reached is not dialed again for {@link #DOWN_BACKOFF_MILLIS}: requests
 * for it fail at once while the topology is refreshed, instead of hammering a dead primary.
 */
final class LoopBackends {
    static final long DOWN_BACKOFF_MILLIS = 200;

    private final EventLoop loop;
    private final GatewayContext gateway;
    private final Bootstrap bootstrap;
    private final LoopStats stats;
    private final Map<String, BackendLink> shared2 = new HashMap<>();
    private final Map<String, BackendLink> shared3 = new HashMap<>();
    private final Map<String, BackendLink> replicaLinks = new HashMap<>();
    private int nextReplica;
    private final Map<String, ArrayDeque<BackendLink>> idle = new HashMap<>();
    private final Set<BackendLink> dedicated = new HashSet<>();
    private final Map<String, Long> downUntil = new HashMap<>();
    private final List<Flushable> dirty = new ArrayList<>();
    private final Runnable flushAll = this::flushAll;
    private final ScheduledFuture<?> sweeper;
    private boolean flushScheduled;
    /** Client-side caching for this loop's clients. */
    private final Invalidations invalidations = new Invalidations(this);

    LoopBackends(EventLoop loop, GatewayContext gateway, Bootstrap bootstrap) {
        this.loop = loop;
        this.gateway = gateway;
        this.bootstrap = bootstrap;
        this.stats = new LoopStats(gateway.stats());
        this.sweeper = loop.scheduleWithFixedDelay(this::sweep, 100, 100, TimeUnit.MILLISECONDS);
    }

    EventLoop loop() {
        return loop;
    }

    ByteBufAllocator alloc() {
        return ByteBufAllocator.DEFAULT;
    }

    GatewayContext gateway() {
        return gateway;
    }

    /** What this loop records, and the time it records against. */
    LoopStats stats() {
        return stats;
    }

    Invalidations invalidations() {
        return invalidations;
    }

    /** Connects a link made outside this class's maps (a tracking listener, see {@link Invalidations}). */
    void connect(BackendLink link) {
        link.connect(bootstrap, gateway.config());
    }

    /** Why {@code address} is not dialed now, or null when it may be. */
    String unreachable(String address) {
        if (downUntil.isEmpty()) {
            return null;
        }
        Long until = downUntil.get(address);
        if (until == null) {
            return null;
        }
        if (System.currentTimeMillis() >= until) {
            downUntil.remove(address);
            return null;
        }
        return "ERR gateway: backend " + address + " unreachable";
    }

    /** The shared link to {@code address} in {@code protocol}, connecting it when needed. */
    BackendLink shared(String address, int protocol) {
        Map<String, BackendLink> links = protocol == 3 ? shared3 : shared2;
        BackendLink link = links.get(address);
        if (link == null || link.closed()) {
            link = new BackendLink(this, address, protocol, false);
            links.put(address, link);
            link.connect(bootstrap, gateway.config());
        }
        return link;
    }

    /**
     * A shared READONLY link to a replica of the primary at {@code primary} (round robin), or null
     * when it has no replica that is not failed and reachable.
     */
    BackendLink replica(String primary, int protocol) {
        java.util.List<String> replicas = gateway.topology().current().replicasOf(primary);
        for (int tries = 0; tries < replicas.size(); tries++) {
            String address = replicas.get(Math.floorMod(nextReplica++, replicas.size()));
            if (unreachable(address) != null) {
                continue;
            }
            String key = protocol + "/" + address;
            BackendLink link = replicaLinks.get(key);
            if (link == null || link.closed()) {
                link = new BackendLink(this, address, protocol, false, true);
                replicaLinks.put(key, link);
                link.connect(bootstrap, gateway.config());
            }
            return link;
        }
        return null;
    }

    /**
     * A dedicated link to {@code address}, idle or new; null when the gateway already holds
     * {@code maxPinned} of them.
     */
    BackendLink dedicated(String address, int protocol) {
        ArrayDeque<BackendLink> pool = idle.get(protocol + "/" + address);
        while (pool != null && !pool.isEmpty()) {
            BackendLink l = pool.poll();
            if (!l.closed()) {
                return l;
            }
        }
        if (gateway.pinned().incrementAndGet() > gateway.config().maxPinned()) {
            gateway.pinned().decrementAndGet();
            return null;
        }
        BackendLink link = new BackendLink(this, address, protocol, true);
        dedicated.add(link);
        link.connect(bootstrap, gateway.config());
        return link;
    }

    /** Gives a dedicated link back after its request was answered; a few stay open for reuse. */
    void release(BackendLink link) {
        if (link.closed()) {
            return;
        }
        ArrayDeque<BackendLink> pool = idle.computeIfAbsent(link.protocol + "/" + link.address, k -> new ArrayDeque<>());
        if (pool.size() >= 8 || link.pendingCount() > 0) {
            link.close("ERR gateway: connection released");
        } else {
            link.onClose(() -> { });
            pool.add(link);
        }
    }

    void linkClosed(BackendLink link, boolean connectFailed) {
        if (link.dedicated) {
            if (dedicated.remove(link)) {
                gateway.pinned().decrementAndGet();
            }
        } else if (link.readonly) {
            replicaLinks.remove(link.protocol + "/" + link.address, link);
        } else {
            Map<String, BackendLink> links = link.protocol == 3 ? shared3 : shared2;
            links.remove(link.address, link);
        }
        if (connectFailed) {
            downUntil.put(link.address, System.currentTimeMillis() + DOWN_BACKOFF_MILLIS);
        }
        gateway.stats().backend(link.address).disconnected();
        gateway.topology().backendLost(link.address);
    }

    /** Writes what {@code f} buffered at the end of this loop turn. */
    void markDirty(Flushable f) {
        dirty.add(f);
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flushAll);
        }
    }

    private void flushAll() {
        flushScheduled = false;
        for (int i = 0; i < dirty.size(); i++) {
            dirty.get(i).flush();
        }
        dirty.clear();
    }

    /** Drops links whose oldest request is overdue: their waiting requests are answered with an error. */
    private void sweep() {
        long now = System.nanoTime();
        List<BackendLink> overdue = new ArrayList<>();
        for (BackendLink l : shared2.values()) {
            if (l.overdue(now)) {
                overdue.add(l);
            }
        }
        for (BackendLink l : shared3.values()) {
            if (l.overdue(now)) {
                overdue.add(l);
            }
        }
        for (BackendLink l : replicaLinks.values()) {
            if (l.overdue(now)) {
                overdue.add(l);
            }
        }
        for (BackendLink l : dedicated) {
            if (l.overdue(now)) {
                overdue.add(l);
            }
        }
        for (BackendLink l : overdue) {
            l.close("ERR gateway: backend " + l.address + " did not answer within "
                    + gateway.config().requestTimeoutMillis() + " ms");
        }
        invalidations.sweep();
    }

    /** The state of each shared link, for the REST view. */
    Map<String, String> linkStates() {
        Map<String, String> out = new HashMap<>();
        shared2.forEach((a, l) -> out.put(a, l.closed() ? "closed" : "connected"));
        shared3.forEach((a, l) -> out.putIfAbsent(a, l.closed() ? "closed" : "connected"));
        return out;
    }

    void close() {
        sweeper.cancel(false);
        invalidations.close();
        List<BackendLink> all = new ArrayList<>(shared2.values());
        all.addAll(shared3.values());
        all.addAll(dedicated);
        all.addAll(replicaLinks.values());
        idle.values().forEach(all::addAll);
        for (BackendLink l : all) {
            l.close("ERR gateway: shutting down");
        }
    }
}
