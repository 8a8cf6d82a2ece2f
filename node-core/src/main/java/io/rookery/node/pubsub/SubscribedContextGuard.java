package io.rookery.node.pubsub;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.CommandGuard;
import io.rookery.protocol.command.CommandSpec;
import java.util.Set;

/**
 * RESP2's subscribed mode: a client with subscriptions may only (un)subscribe, PING, QUIT or RESET.
 * RESP3 clients may run anything, since pushes are told apart from replies.
 */
public final class SubscribedContextGuard implements CommandGuard {
    private static final Set<String> ALLOWED = Set.of("subscribe", "ssubscribe", "unsubscribe", "sunsubscribe",
            "psubscribe", "punsubscribe", "ping", "quit", "reset");

    @Override
    public String check(Client client, CommandSpec spec, byte[][] args) {
        if (client.protocol() >= 3 || !client.hasSubscriptions()) {
            return null;
        }
        String name = spec.name();
        int bar = name.indexOf('|');
        String top = bar < 0 ? name : name.substring(0, bar);
        if (ALLOWED.contains(top)) {
            return null;
        }
        return "ERR Can't execute '" + name + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are "
                + "allowed in this context";
    }
}
