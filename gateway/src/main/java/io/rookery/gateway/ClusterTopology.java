package io.rookery.gateway;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.rookery.protocol.RespValue;
import io.rookery.protocol.client.RespClient;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slot map of a cluster, refreshed by its own component (Lettuce's topology refresh is the model):
 * every node known (the seeds and every node of the last view) is asked {@code CLUSTER NODES} at once,
 * and the answers are merged by config epoch ({@link ClusterNodesView}).
 *
 * <p>Triggers: a period ({@code refreshPeriodMillis}); every MOVED; a lost backend connection, at once;
 * and an operator's call. While a primary that serves slots does not answer, or a slot is unserved,
 * the map is "degraded" and refreshed every {@code degradedRefreshMillis}, so a replica's promotion is
 * seen within that period rather than at the next MOVED. Triggers that arrive while a refresh runs
 * are coalesced into one more run after it, and runs start at least {@value #MIN_GAP_MILLIS} ms apart.
 */
public final class ClusterTopology implements Topology {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterTopology.class);

    /** Refreshes start at least this far apart, however many triggers arrive. */
    static final long MIN_GAP_MILLIS = 50;

    private final GatewayConfig config;
    private final EventLoop loop;
    private final Class<? extends Channel> channelType;
    private final AtomicLong refreshes = new AtomicLong();
    private final CountDownLatch first = new CountDownLatch(1);
    private volatile SlotMap current = SlotMap.EMPTY;
    private volatile boolean degraded = true;
    private boolean running;
    private boolean again;
    private boolean delayed;
    private long lastRun;
    private ScheduledFuture<?> ticker;

    public ClusterTopology(GatewayConfig config, EventLoop loop, Class<? extends Channel> channelType) {
        this.config = config;
        this.loop = loop;
        this.channelType = channelType;
    }

    @Override
    public String kind() {
        return "cluster";
    }

    @Override
    public SlotMap current() {
        return current;
    }

    @Override
    public long refreshes() {
        return refreshes.get();
    }

    /** True while a primary serving slots is unreachable or a slot is unserved. */
    public boolean degraded() {
        return degraded;
    }

    @Override
    public void start(long waitMillis) throws InterruptedException {
        long tick = Math.max(10, Math.min(config.degradedRefreshMillis(), config.refreshPeriodMillis()));
        ticker = loop.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
        refresh("start");
        first.await(waitMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void refresh(String reason) {
        loop.execute(this::trigger);
    }

    @Override
    public void moved() {
        refresh("MOVED");
    }

    @Override
    public void backendLost(String address) {
        degraded = true;
        refresh("connection to " + address + " lost");
    }

    private void tick() {
        long period = degraded ? config.degradedRefreshMillis() : config.refreshPeriodMillis();
        if (System.currentTimeMillis() - lastRun >= period) {
            trigger();
        }
    }

    private void trigger() {
        if (running) {
            again = true;
            return;
        }
        long wait = lastRun + MIN_GAP_MILLIS - System.currentTimeMillis();
        if (wait > 0) {
            // a burst of MOVED replies (a resharding) asks again and again: one refresh per gap is enough
            if (!delayed) {
                delayed = true;
                loop.schedule(() -> {
                    delayed = false;
                    trigger();
                }, wait, TimeUnit.MILLISECONDS);
            }
            return;
        }
        running = true;
        lastRun = System.currentTimeMillis();
        Set<String> addresses = new LinkedHashSet<>(config.seeds());
        for (SlotMap.NodeView n : current.nodes()) {
            addresses.add(n.address());
        }
        List<String> asked = new ArrayList<>(addresses);
        List<CompletableFuture<RespValue>> replies = new ArrayList<>();
        List<RespClient> clients = new ArrayList<>();
        for (String address : asked) {
            String[] hp = GatewayConfig.hostPort(address);
            RespClient c = RespClient.connect(loop, channelType, hp[0], Integer.parseInt(hp[1]),
                    config.connectTimeoutMillis());
            clients.add(c);
            if (config.backendPassword() != null) {
                c.send(BackendLink.authArgs(config.backendUser(), config.backendPassword()));
            }
            replies.add(c.send("CLUSTER", "NODES").orTimeout(config.requestTimeoutMillis(), TimeUnit.MILLISECONDS)
                    .exceptionally(e -> new RespValue.Error(String.valueOf(e))));
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> loop.execute(() -> {
            clients.forEach(RespClient::close);
            finish(asked, replies);
        }));
    }

    private void finish(List<String> asked, List<CompletableFuture<RespValue>> replies) {
        ClusterNodesView view = new ClusterNodesView();
        Set<String> answered = new LinkedHashSet<>();
        for (int i = 0; i < asked.size(); i++) {
            RespValue r = replies.get(i).join();
            if (r instanceof RespValue.BulkString b) {
                view.add(b.text());
                answered.add(asked.get(i));
            } else if (r instanceof RespValue.Verbatim v) {
                view.add(v.text());
                answered.add(asked.get(i));
            }
        }
        refreshes.incrementAndGet();
        if (view.views() > 0) {
            SlotMap old = current;
            SlotMap next = view.toSlotMap(old.version());
            if (!next.sameAssignment(old)) {
                next = next.withVersion(old.version() + 1, next.takenAtMillis());
                LOG.info("slot map version {}: {} slots served by {}", next.version(), next.servedSlots(), next.primaries());
            }
            current = next;
            degraded = !next.covered() || !answered.containsAll(next.primaries());
            first.countDown();
        } else {
            degraded = true;
            LOG.warn("no cluster node answered CLUSTER NODES (asked {})", asked);
        }
        running = false;
        if (again) {
            again = false;
            trigger();
        }
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.cancel(false);
        }
    }
}
