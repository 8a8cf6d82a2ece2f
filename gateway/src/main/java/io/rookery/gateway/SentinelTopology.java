package io.rookery.gateway;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.rookery.protocol.RespValue;
import io.rookery.protocol.client.RespClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sentinel-managed primary as the whole backend (every slot on it). The gateway stays subscribed to
 * {@code +switch-master} on every sentinel and switches the moment one announces the new primary; it
 * also asks the sentinels ({@code SENTINEL GET-MASTER-ADDR-BY-NAME}) at start, periodically, and at once
 * when a connection to the primary is lost — then every {@code degradedRefreshMillis} for a while, so
 * a failover is followed even when the announcement was missed.
 */
public final class SentinelTopology implements Topology {
    private static final Logger LOG = LoggerFactory.getLogger(SentinelTopology.class);
    private static final long DEGRADED_FOR_MILLIS = 30_000;

    private final GatewayConfig config;
    private final EventLoop loop;
    private final Class<? extends Channel> channelType;
    private final AtomicLong refreshes = new AtomicLong();
    private final CountDownLatch first = new CountDownLatch(1);
    private final List<RespClient> watchers = new ArrayList<>();
    private volatile SlotMap current = SlotMap.EMPTY;
    private volatile boolean closed;
    private long degradedUntil;
    private long lastAsk;
    private boolean asking;
    private ScheduledFuture<?> ticker;

    public SentinelTopology(GatewayConfig config, EventLoop loop, Class<? extends Channel> channelType) {
        this.config = config;
        this.loop = loop;
        this.channelType = channelType;
    }

    @Override
    public String kind() {
        return "sentinel";
    }

    @Override
    public SlotMap current() {
        return current;
    }

    @Override
    public long refreshes() {
        return refreshes.get();
    }

    @Override
    public void start(long waitMillis) throws InterruptedException {
        loop.execute(() -> config.sentinels().forEach(this::watch));
        long tick = Math.max(10, config.degradedRefreshMillis());
        ticker = loop.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
        refresh("start");
        first.await(waitMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void refresh(String reason) {
        loop.execute(this::ask);
    }

    @Override
    public void moved() {
        refresh("MOVED");
    }

    @Override
    public void backendLost(String address) {
        loop.execute(() -> {
            degradedUntil = System.currentTimeMillis() + DEGRADED_FOR_MILLIS;
            ask();
        });
    }

    private void tick() {
        long now = System.currentTimeMillis();
        long period = now < degradedUntil ? config.degradedRefreshMillis() : config.refreshPeriodMillis();
        if (now - lastAsk >= period) {
            ask();
        }
    }

    /** Subscribes to +switch-master on one sentinel; resubscribes a second after the link drops. */
    private void watch(String sentinel) {
        if (closed) {
            return;
        }
        String[] hp = GatewayConfig.hostPort(sentinel);
        RespClient c = RespClient.connect(loop, channelType, hp[0], Integer.parseInt(hp[1]), config.connectTimeoutMillis());
        watchers.add(c);
        c.onPush(this::announced);
        c.onClose(() -> {
            watchers.remove(c);
            if (!closed) {
                loop.schedule(() -> watch(sentinel), 1, TimeUnit.SECONDS);
            }
        });
        c.send("SUBSCRIBE", "+switch-master");
    }

    /** "+switch-master name old-ip old-port new-ip new-port". */
    private void announced(RespValue message) {
        List<RespValue> parts = message instanceof RespValue.Array a ? a.elements()
                : message instanceof RespValue.Push p ? p.elements() : List.of();
        if (parts.size() != 3 || !(parts.get(2) instanceof RespValue.BulkString payload)) {
            return;
        }
        String[] f = payload.text().split(" ");
        if (f.length == 5 && f[0].equals(config.masterName())) {
            LOG.info("+switch-master {}: now {}:{}", f[0], f[3], f[4]);
            use(f[3] + ":" + f[4]);
        }
    }

    /** Asks the sentinels in turn for the primary's address; the first answer wins. */
    private void ask() {
        if (asking || closed) {
            return;
        }
        asking = true;
        lastAsk = System.currentTimeMillis();
        askFrom(0);
    }

    private void askFrom(int index) {
        if (index >= config.sentinels().size()) {
            refreshes.incrementAndGet();
            asking = false;
            LOG.warn("no sentinel answered for {}", config.masterName());
            return;
        }
        String[] hp = GatewayConfig.hostPort(config.sentinels().get(index));
        RespClient c = RespClient.connect(loop, channelType, hp[0], Integer.parseInt(hp[1]), config.connectTimeoutMillis());
        CompletableFuture<RespValue> reply = c.send("SENTINEL", "GET-MASTER-ADDR-BY-NAME", config.masterName())
                .orTimeout(config.requestTimeoutMillis(), TimeUnit.MILLISECONDS);
        reply.whenComplete((v, e) -> loop.execute(() -> {
            c.close();
            if (v instanceof RespValue.Array a && a.elements().size() == 2
                    && a.elements().get(0) instanceof RespValue.BulkString host
                    && a.elements().get(1) instanceof RespValue.BulkString port) {
                refreshes.incrementAndGet();
                asking = false;
                use(host.text() + ":" + port.text());
            } else {
                askFrom(index + 1);
            }
        }));
    }

    private void use(String address) {
        SlotMap old = current;
        if (address.equals(old.ownerOf(0))) {
            current = old.withVersion(old.version(), System.currentTimeMillis());
        } else {
            current = SlotMap.single(address, old.version() + 1);
            LOG.info("primary of {} is {} (slot map version {})", config.masterName(), address, current.version());
        }
        first.countDown();
    }

    @Override
    public void close() {
        closed = true;
        if (ticker != null) {
            ticker.cancel(false);
        }
        loop.execute(() -> new ArrayList<>(watchers).forEach(RespClient::close));
    }
}
