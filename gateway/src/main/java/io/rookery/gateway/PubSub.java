package io.rookery.gateway;

import io.netty.buffer.ByteBuf;
import io.rookery.protocol.Numbers;
import io.rookery.protocol.ProtocolException;
import io.rookery.protocol.RespWriter;
import io.rookery.protocol.command.CommandSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * SUBSCRIBE/PSUBSCRIBE (and their UNSUBSCRIBEs) on one dedicated link per client to a primary (a
 * cluster delivers PUBLISH to every node), SSUBSCRIBE on one link per shard (the channel's slot
 * decides, channels of one command must share a slot). Those links are pipes: every frame the backend
 * sends — confirmations, messages, pushes — goes to the client as it is, after the replies it still
 * awaits. The subscription counts in the confirmations tell the gateway when a RESP2 client is in
 * subscribed mode. A pub/sub link that breaks closes the client: its library then reconnects and
 * subscribes again, rather than waiting forever for messages that will never come.
 */
final class PubSub {
    private static final Set<String> COUNTED = Set.of("subscribe", "unsubscribe", "psubscribe", "punsubscribe");
    private static final Set<String> SHARD_COUNTED = Set.of("ssubscribe", "sunsubscribe");

    private final LoopBackends backends;

    PubSub(LoopBackends backends) {
        this.backends = backends;
    }

    void run(ClientSession c, CommandSpec spec, byte[][] args, int slot) {
        String name = spec.name();
        ClientState s = c.state;
        if (name.equals("ssubscribe") || name.equals("sunsubscribe")) {
            shard(c, name, args, slot);
            return;
        }
        if (s.pubsub == null || s.pubsub.closed()) {
            if (name.equals("unsubscribe") || name.equals("punsubscribe") || name.equals("ping")) {
                if (name.equals("ping")) {
                    c.enqueue(name).reply(CommandRouter.simple("PONG"));
                } else {
                    notSubscribed(c, name, args);
                }
                return;
            }
            String owner = RoutedRequest.firstPrimary(backends.gateway().topology().current());
            BackendLink link = owner == null ? null : open(c, owner, null);
            if (link == null) {
                c.enqueue(name).failed(owner == null ? "CLUSTERDOWN The cluster is down"
                        : "ERR gateway: max number of dedicated backend connections reached");
                return;
            }
            s.pubsub = link;
        }
        s.pubsub.send(args, Receiver.DISCARD, 0);
        backends.gateway().stats().command(name).record(0, false);
    }

    private void shard(ClientSession c, String name, byte[][] args, int slot) {
        ClientState s = c.state;
        if (slot == CommandRouter.CROSSSLOT) {
            c.enqueue(name).failed("CROSSSLOT Keys in request don't hash to the same slot");
            return;
        }
        if (name.equals("sunsubscribe") && args.length == 1) {
            if (s.shardLinks.isEmpty()) {
                notSubscribed(c, name, args);
            }
            for (BackendLink l : s.shardLinks.values()) {
                l.send(args, Receiver.DISCARD, 0);
            }
            return;
        }
        String owner = backends.gateway().topology().current().ownerOf(Math.max(slot, 0));
        if (owner == null) {
            c.enqueue(name).failed("CLUSTERDOWN Hash slot not served");
            return;
        }
        BackendLink link = s.shardLinks.get(owner);
        if (link == null || link.closed()) {
            if (name.equals("sunsubscribe")) {
                notSubscribed(c, name, args);
                return;
            }
            link = open(c, owner, owner);
            if (link == null) {
                c.enqueue(name).failed("ERR gateway: max number of dedicated backend connections reached");
                return;
            }
            s.shardLinks.put(owner, link);
        }
        link.send(args, Receiver.DISCARD, 0);
        backends.gateway().stats().command(name).record(0, false);
    }

    /** A dedicated link in passthrough mode whose frames go to the client; {@code shard} names an SSUBSCRIBE link. */
    private BackendLink open(ClientSession c, String owner, String shard) {
        BackendLink link = backends.dedicated(owner, c.protocol);
        if (link == null) {
            return null;
        }
        link.passthrough(new Receiver() {
            @Override
            public void reply(ByteBuf buf, int from, int to) {
                count(c, shard, buf, from);
                c.outOfBand(buf, from, to);
            }

            @Override
            public void failed(String error) {
                if (shard == null ? c.state.pubsub == link : c.state.shardLinks.get(shard) == link) {
                    c.closeNow();
                }
            }
        });
        return link;
    }

    /** Reads the subscription count out of a confirmation frame ([kind, channel, count]). */
    private static void count(ClientSession c, String shard, ByteBuf buf, int from) {
        byte p = buf.getByte(from);
        if (p != '*' && p != '>') {
            return;
        }
        try {
            int[] bounds = ReplyFramer.elements(buf, from);
            if (bounds == null || bounds.length != 4 || buf.getByte(bounds[0]) != '$'
                    || buf.getByte(bounds[2]) != ':') {
                return;
            }
            int cr = buf.indexOf(bounds[0], bounds[1], (byte) '\r');
            String kind = buf.toString(cr + 2, bounds[1] - cr - 4, StandardCharsets.US_ASCII);
            int countCr = buf.indexOf(bounds[2], bounds[3], (byte) '\r');
            long n = Numbers.parse(buf, bounds[2] + 1, countCr);
            if (shard == null && COUNTED.contains(kind)) {
                c.state.subscriptions = (int) n;
            } else if (shard != null && SHARD_COUNTED.contains(kind)) {
                c.state.shardSubscriptions.put(shard, (int) n);
            }
        } catch (ProtocolException e) {
            // not a confirmation
        }
    }

    /** UNSUBSCRIBE without a subscription: Redis answers one confirmation per channel (or one with nil) and count 0. */
    private static void notSubscribed(ClientSession c, String name, byte[][] args) {
        List<byte[]> channels = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            channels.add(args[i]);
        }
        if (channels.isEmpty()) {
            channels.add(null);
        }
        RespWriter w = CommandRouter.writer(c);
        for (byte[] ch : channels) {
            w.push(3);
            w.bulk(name);
            if (ch == null) {
                w.nullBulk();
            } else {
                w.bulk(ch);
            }
            w.integer(c.state.subscriptions);
        }
        c.enqueue(name).reply(w.target());
    }
}
