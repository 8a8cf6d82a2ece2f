package io.rookery.node.pubsub;

import io.rookery.node.config.ConfigException;
import io.rookery.node.config.KeyspaceEventFlags;
import io.rookery.node.config.NodeConfig;
import java.nio.charset.StandardCharsets;

/**
 * Keyspace notifications (notify.c): for an event of a class enabled by {@code notify-keyspace-events},
 * publishes the event name on {@code __keyspace@<db>__:<key>} (flag K) and the key on
 * {@code __keyevent@<db>__:<event>} (flag E).
 */
public final class KeyspaceNotifications {
    private final PubSub pubsub;
    private final NodeConfig config;
    private volatile int flags;

    public KeyspaceNotifications(PubSub pubsub, NodeConfig config) {
        this.pubsub = pubsub;
        this.config = config;
        refresh();
        config.onChange("notify-keyspace-events", c -> refresh());
    }

    private void refresh() {
        try {
            flags = KeyspaceEventFlags.parse(config.notifyKeyspaceEvents);
        } catch (ConfigException e) {
            flags = 0;
        }
    }

    public void keyEvent(int eventClass, String event, byte[] key, int db) {
        int f = flags;
        if ((f & eventClass) == 0 || (f & (KeyspaceEventFlags.KEYSPACE | KeyspaceEventFlags.KEYEVENT)) == 0) {
            return;
        }
        byte[] eventBytes = event.getBytes(StandardCharsets.US_ASCII);
        if ((f & KeyspaceEventFlags.KEYSPACE) != 0) {
            byte[] prefix = ("__keyspace@" + db + "__:").getBytes(StandardCharsets.US_ASCII);
            byte[] channel = new byte[prefix.length + key.length];
            System.arraycopy(prefix, 0, channel, 0, prefix.length);
            System.arraycopy(key, 0, channel, prefix.length, key.length);
            pubsub.publish(channel, eventBytes);
        }
        if ((f & KeyspaceEventFlags.KEYEVENT) != 0) {
            pubsub.publish(("__keyevent@" + db + "__:" + event).getBytes(StandardCharsets.US_ASCII), key);
        }
    }
}
