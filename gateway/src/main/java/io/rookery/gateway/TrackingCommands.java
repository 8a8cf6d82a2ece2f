package io.rookery.gateway;

import io.rookery.protocol.RespWriter;
import io.rookery.protocol.tracking.CachingCheck;
import io.rookery.protocol.tracking.TrackingArgs;
import io.rookery.protocol.tracking.TrackingCommandError;
import io.rookery.protocol.tracking.TrackingCompatibility;
import io.rookery.protocol.tracking.TrackingInfoReply;

/**
 * The client-side caching subcommands of CLIENT, answered by the gateway for its own clients with
 * redis-server 7.0's replies and error texts (networking.c): TRACKING, CACHING, GETREDIR and
 * TRACKINGINFO. Parsing, checks, error texts and the TRACKINGINFO reply are protocol's
 * ({@code io.rookery.protocol.tracking}, shared with the node); what is the gateway's own is the
 * REDIRECT target, one of the gateway's clients, and the tracking itself, {@link Invalidations}'s:
 * CLIENT TRACKING ON answers once the backends' invalidations are flowing to the gateway.
 */
final class TrackingCommands {
    private final GatewayContext gateway;
    private final LoopBackends backends;

    TrackingCommands(GatewayContext gateway, LoopBackends backends) {
        this.gateway = gateway;
        this.backends = backends;
    }

    static boolean handles(String name) {
        return switch (name) {
            case "client|tracking", "client|caching", "client|getredir", "client|trackinginfo" -> true;
            default -> false;
        };
    }

    /** Runs one of the subcommands; the reply goes to {@code r} (later, for CLIENT TRACKING ON). */
    void run(ClientSession c, String name, byte[][] args, ClientSession.PendingReply r) {
        RespWriter w = CommandRouter.writer(c);
        try {
            switch (name) {
                case "client|tracking" -> {
                    tracking(c, args, r);
                    w.target().release();
                    return;
                }
                case "client|caching" -> {
                    CachingCheck.check(args[2], c.tracking);
                    c.tracking.caching = true; // for the next command (or transaction), see Invalidations
                    w.ok();
                }
                case "client|getredir" -> w.integer(c.tracking.reportedRedirect());
                default -> TrackingInfoReply.write(c.tracking, w);
            }
        } catch (TrackingCommandError e) {
            w.error(e.getMessage());
        }
        r.reply(w.target());
    }

    // CLIENT TRACKING <ON | OFF> [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]
    /** Checks and applies CLIENT TRACKING; the OK goes to {@code r}, for ON once invalidations flow. */
    private void tracking(ClientSession c, byte[][] a, ClientSession.PendingReply r) {
        TrackingArgs args = TrackingArgs.parse(a, id -> gateway.clients().byId(id) != null);
        if (!args.on()) {
            backends.invalidations().disable(c);
            r.reply(CommandRouter.simple("OK"));
            return;
        }
        TrackingCompatibility.check(args, c.tracking);
        c.tracking.turnOn(args);
        backends.invalidations().enable(c, () -> r.reply(CommandRouter.simple("OK")));
    }
}
