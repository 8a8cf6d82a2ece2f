package io.rookery.sentinel;

import io.rookery.node.RookeryNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits events as Redis Sentinel does: logged, published on the sentinel's own pub/sub with the event
 * type as channel (all but debug-level ones), and handed to listeners (the REST event stream, metrics,
 * notification scripts).
 *
 * <p>An event about an instance starts with the instance's identity, "{@code <type> <name> <ip>
 * <port>}", followed for replicas and sentinels by "{@code @ <master name> <master ip> <master port>}".
 */
final class SentinelEvents {
    private static final Logger LOG = LoggerFactory.getLogger("io.rookery.sentinel.events");

    enum Level {
        DEBUG, VERBOSE, NOTICE, WARNING;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final RookeryNode node;
    private final Sentinel sentinel;
    private final List<Consumer<SentinelEvent>> listeners = new CopyOnWriteArrayList<>();

    SentinelEvents(RookeryNode node, Sentinel sentinel) {
        this.node = node;
        this.sentinel = sentinel;
    }

    void addListener(Consumer<SentinelEvent> listener) {
        listeners.add(listener);
    }

    /** An event about {@code instance}: its identity, then {@code detail} (may be empty). */
    void about(Level level, String type, Instance instance, String detail) {
        emit(level, type, instance, identity(instance) + (detail.isEmpty() ? "" : " " + detail));
    }

    /** An event with a free-form message (instance may be null). */
    void emit(Level level, String type, Instance instance, String message) {
        switch (level) {
            case WARNING -> LOG.warn("{} {}", type, message);
            case NOTICE -> LOG.info("{} {}", type, message);
            case VERBOSE -> LOG.debug("{} {}", type, message);
            default -> LOG.trace("{} {}", type, message);
        }
        if (level != Level.DEBUG) {
            node.parts().pubsub().publish(type.getBytes(StandardCharsets.UTF_8), message.getBytes(StandardCharsets.UTF_8));
        }
        String master = instance == null ? null : instance.owner().name;
        SentinelEvent event = new SentinelEvent(type, message, level.wireName(), master, sentinel.now());
        for (Consumer<SentinelEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                LOG.debug("event listener failed", e);
            }
        }
    }

    String identity(Instance i) {
        boolean names = sentinel.announceHostnames;
        String own = i.kind.wireName + " " + i.name + " " + i.addr.announced(names) + " " + i.addr.port();
        if (i.master == null) {
            return own;
        }
        Master m = i.master;
        return own + " @ " + m.name + " " + m.addr.announced(names) + " " + m.addr.port();
    }
}
