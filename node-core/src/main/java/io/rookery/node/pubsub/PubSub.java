package io.rookery.node.pubsub;

import io.rookery.node.client.Client;
import io.rookery.node.keyspace.BinaryKey;
import io.rookery.node.keyspace.Glob;
import io.rookery.protocol.RespWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Publish/subscribe: channels, patterns and shard channels (which outside cluster mode behave as
 * channels in a namespace of their own). Messages are RESP3 pushes, or arrays under RESP2:
 * {@code message channel payload}, {@code pmessage pattern channel payload},
 * {@code smessage channel payload}. Command-thread only.
 */
public final class PubSub {
    private final Map<BinaryKey, Set<Client>> channels = new LinkedHashMap<>();
    private final Map<BinaryKey, Set<Client>> patterns = new LinkedHashMap<>();
    private final Map<BinaryKey, Set<Client>> shardChannels = new LinkedHashMap<>();

    /** The kind of subscription: its map, the client's own set, and its reply words. */
    public enum Kind {
        CHANNEL("subscribe", "unsubscribe"), PATTERN("psubscribe", "punsubscribe"), SHARD("ssubscribe", "sunsubscribe");

        final String subscribeWord;
        final String unsubscribeWord;

        Kind(String sub, String unsub) {
            this.subscribeWord = sub;
            this.unsubscribeWord = unsub;
        }
    }

    private Map<BinaryKey, Set<Client>> map(Kind kind) {
        return switch (kind) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shardChannels;
        };
    }

    private static Set<BinaryKey> own(Client c, Kind kind) {
        return switch (kind) {
            case CHANNEL -> c.subscriptions().channels;
            case PATTERN -> c.subscriptions().patterns;
            case SHARD -> c.subscriptions().shardChannels;
        };
    }

    /** The count a (un)subscribe reply carries: shard subscriptions count apart from the others. */
    private static int count(Client c, Kind kind) {
        return kind == Kind.SHARD ? c.subscriptions().shardChannels.size()
                : c.subscriptions().channels.size() + c.subscriptions().patterns.size();
    }

    public void subscribe(Client c, Kind kind, byte[][] names) {
        for (byte[] name : names) {
            BinaryKey k = new BinaryKey(name);
            if (own(c, kind).add(k)) {
                map(kind).computeIfAbsent(k, x -> new LinkedHashSet<>()).add(c);
            }
            RespWriter r = c.push();
            r.push(3);
            r.bulk(kind.subscribeWord);
            r.bulk(name);
            r.integer(count(c, kind));
        }
    }

    /** Unsubscribes from {@code names}, or from everything of that kind when none are given. */
    public void unsubscribe(Client c, Kind kind, byte[][] names, boolean reply) {
        List<byte[]> targets = new ArrayList<>();
        if (names.length == 0) {
            own(c, kind).forEach(k -> targets.add(k.bytes()));
        } else {
            targets.addAll(List.of(names));
        }
        if (targets.isEmpty() && reply) {
            RespWriter r = c.push();
            r.push(3);
            r.bulk(kind.unsubscribeWord);
            r.nullBulk();
            r.integer(count(c, kind));
            return;
        }
        for (byte[] name : targets) {
            BinaryKey k = new BinaryKey(name);
            if (own(c, kind).remove(k)) {
                Set<Client> subs = map(kind).get(k);
                if (subs != null) {
                    subs.remove(c);
                    if (subs.isEmpty()) {
                        map(kind).remove(k);
                    }
                }
            }
            if (reply) {
                RespWriter r = c.push();
                r.push(3);
                r.bulk(kind.unsubscribeWord);
                r.bulk(name);
                r.integer(count(c, kind));
            }
        }
    }

    /** Drops every subscription of a client (disconnect, RESET). */
    public void forget(Client c) {
        if (c.hasSubscriptions()) {
            for (Kind k : Kind.values()) {
                unsubscribe(c, k, new byte[0][], false);
            }
        }
    }

    /** Where a client's PUBLISH/SPUBLISH also goes beyond this node (cluster mode: the bus). */
    @FunctionalInterface
    public interface Relay {
        Relay NONE = (channel, message, sharded) -> { };

        void relay(byte[] channel, byte[] message, boolean sharded);
    }

    private Relay relay = Relay.NONE;

    public void relay(Relay relay) {
        this.relay = relay;
    }

    /**
     * A client's PUBLISH (or SPUBLISH with {@code sharded}): delivered here and relayed to the other
     * nodes; the count is of this node's receivers, as in Redis. Messages that arrive from the relay
     * are delivered with {@link #publish}/{@link #publishShard} and not relayed again.
     */
    public long publishFromClient(byte[] channel, byte[] message, boolean sharded) {
        long receivers = sharded ? publishShard(channel, message) : publish(channel, message);
        relay.relay(channel, message, sharded);
        return receivers;
    }

    /** Delivers a message; returns how many clients received it. */
    public long publish(byte[] channel, byte[] message) {
        long receivers = 0;
        Set<Client> subs = channels.get(new BinaryKey(channel));
        if (subs != null) {
            for (Client c : subs) {
                RespWriter r = c.push();
                r.push(3);
                r.bulk("message");
                r.bulk(channel);
                r.bulk(message);
                c.connection().flushSoon();
                receivers++;
            }
        }
        for (Map.Entry<BinaryKey, Set<Client>> p : patterns.entrySet()) {
            if (!Glob.matches(p.getKey().bytes(), channel, false)) {
                continue;
            }
            for (Client c : p.getValue()) {
                RespWriter r = c.push();
                r.push(4);
                r.bulk("pmessage");
                r.bulk(p.getKey().bytes());
                r.bulk(channel);
                r.bulk(message);
                c.connection().flushSoon();
                receivers++;
            }
        }
        return receivers;
    }

    public long publishShard(byte[] channel, byte[] message) {
        Set<Client> subs = shardChannels.get(new BinaryKey(channel));
        if (subs == null) {
            return 0;
        }
        for (Client c : subs) {
            RespWriter r = c.push();
            r.push(3);
            r.bulk("smessage");
            r.bulk(channel);
            r.bulk(message);
            c.connection().flushSoon();
        }
        return subs.size();
    }

    public Collection<BinaryKey> channels(Kind kind) {
        return map(kind).keySet();
    }

    public int subscribers(Kind kind, byte[] channel) {
        Set<Client> s = map(kind).get(new BinaryKey(channel));
        return s == null ? 0 : s.size();
    }

    public int patternCount() {
        return patterns.size();
    }

    public int channelCount() {
        return channels.size();
    }
}
