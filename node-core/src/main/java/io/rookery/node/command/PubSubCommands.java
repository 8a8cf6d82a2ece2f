package io.rookery.node.command;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.keyspace.BinaryKey;
import io.rookery.node.keyspace.Glob;
import io.rookery.node.pubsub.PubSub.Kind;
import io.rookery.node.pubsub.PubSub;
import io.rookery.protocol.RespWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Publish/subscribe commands (Redis's pubsub.c). */
final class PubSubCommands extends CommandGroup {

    private final PubSub pubsub;

    PubSubCommands(CommandBasics basics, PubSub pubsub) {
        super(basics);
        this.pubsub = pubsub;
    }

    private PubSub pubsub() {
        return pubsub;
    }

    void register(CommandRegistry r) {
        r.register("subscribe", (c, a) -> subscribe(c, a, Kind.CHANNEL, "SUBSCRIBE"))
                .register("psubscribe", (c, a) -> subscribe(c, a, Kind.PATTERN, "PSUBSCRIBE"))
                .register("ssubscribe", (c, a) -> subscribe(c, a, Kind.SHARD, "SSUBSCRIBE"))
                .register("unsubscribe", (c, a) -> pubsub().unsubscribe(c, Kind.CHANNEL, rest(a), true))
                .register("punsubscribe", (c, a) -> pubsub().unsubscribe(c, Kind.PATTERN, rest(a), true))
                .register("sunsubscribe", (c, a) -> pubsub().unsubscribe(c, Kind.SHARD, rest(a), true))
                .register("publish", (c, a) -> {
                    c.reply().integer(pubsub().publishFromClient(a[1], a[2], false)); // cluster mode: the bus carries it
                    if (!clusterMode()) {
                        dispatcher.propagation().addForReplicas(c.db, a); // replicas' subscribers hear it too
                    }
                })
                .register("spublish", (c, a) -> {
                    c.reply().integer(pubsub().publishFromClient(a[1], a[2], true));
                    if (!clusterMode()) {
                        dispatcher.propagation().addForReplicas(c.db, a);
                    }
                })
                .register("pubsub|channels", (c, a) -> channels(c, a, Kind.CHANNEL))
                .register("pubsub|shardchannels", (c, a) -> channels(c, a, Kind.SHARD))
                .register("pubsub|numsub", (c, a) -> numsub(c, a, Kind.CHANNEL))
                .register("pubsub|shardnumsub", (c, a) -> numsub(c, a, Kind.SHARD))
                .register("pubsub|numpat", (c, a) -> c.reply().integer(pubsub().patternCount()))
                .register("pubsub|help", (c, a) -> Help.reply(c.reply(), "PUBSUB",
                        "CHANNELS [<pattern>]", "    Return the currently active channels matching a <pattern> (default: '*').",
                        "NUMPAT", "    Return number of subscriptions to patterns.",
                        "NUMSUB [<channel> ...]", "    Return the number of subscribers for the specified channels, excluding",
                        "    pattern subscriptions(default: no channels).",
                        "SHARDCHANNELS [<pattern>]", "    Return the currently active shard level channels matching a <pattern> (default: '*').",
                        "SHARDNUMSUB [<shardchannel> ...]", "    Return the number of subscribers for the specified shard level channel(s)",
                        "HELP", "    Prints this help."));
    }

    private static byte[][] rest(byte[][] a) {
        return Arrays.copyOfRange(a, 1, a.length);
    }

    private void subscribe(Client c, byte[][] a, Kind kind, String name) {
        pubsub().subscribe(c, kind, rest(a));
    }

    private void channels(Client c, byte[][] a, Kind kind) {
        byte[] pattern = a.length > 2 ? a[2] : null;
        List<byte[]> out = new ArrayList<>();
        for (BinaryKey ch : pubsub().channels(kind)) {
            if (pattern == null || Glob.matches(pattern, ch.bytes(), false)) {
                out.add(ch.bytes());
            }
        }
        RespWriter r = c.reply();
        r.array(out.size());
        out.forEach(r::bulk);
    }

    private void numsub(Client c, byte[][] a, Kind kind) {
        RespWriter r = c.reply();
        r.array(2L * (a.length - 2)); // a flat array even under RESP3, as Redis 7.0 replies
        for (int i = 2; i < a.length; i++) {
            r.bulk(a[i]);
            r.integer(pubsub().subscribers(kind, a[i]));
        }
    }
}
