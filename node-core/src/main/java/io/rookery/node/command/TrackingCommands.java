package io.rookery.node.command;

import io.rookery.node.client.Client;
import io.rookery.node.client.ClientRegistry;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.tracking.KeyTracking;
import io.rookery.protocol.tracking.CachingCheck;
import io.rookery.protocol.tracking.TrackingArgs;
import io.rookery.protocol.tracking.TrackingCommandError;
import io.rookery.protocol.tracking.TrackingCompatibility;
import io.rookery.protocol.tracking.TrackingInfoReply;

/**
 * The client-side caching subcommands of CLIENT (Redis's networking.c): TRACKING, CACHING, GETREDIR
 * and TRACKINGINFO. Parsing, checks, error texts and the TRACKINGINFO reply are protocol's
 * ({@code io.rookery.protocol.tracking}, shared with the gateway); what is the node's own is the
 * REDIRECT target, a client of this node's {@link ClientRegistry}, and the tracking itself,
 * {@link KeyTracking}'s.
 */
final class TrackingCommands extends CommandGroup {
    private final KeyTracking tracking;
    private final ClientRegistry clients;

    TrackingCommands(CommandBasics basics, KeyTracking tracking, ClientRegistry clients) {
        super(basics);
        this.tracking = tracking;
        this.clients = clients;
    }

    void register(CommandRegistry r) {
        r.register("client|tracking", this::trackingCommand)
                .register("client|caching", TrackingCommands::caching)
                .register("client|getredir", (c, a) -> c.reply().integer(c.tracking.reportedRedirect()))
                .register("client|trackinginfo", (c, a) -> TrackingInfoReply.write(c.tracking, c.reply()));
    }

    // CLIENT TRACKING <ON | OFF> [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]
    private void trackingCommand(Client c, byte[][] a) {
        try {
            TrackingArgs args = TrackingArgs.parse(a, id -> clients.get(id) != null);
            if (args.on()) {
                TrackingCompatibility.check(args, c.tracking);
                tracking.enable(c, args);
            } else {
                tracking.disable(c);
            }
        } catch (TrackingCommandError e) {
            throw new CommandError(e.getMessage());
        }
        c.reply().ok();
    }

    // CLIENT CACHING <YES | NO>: covers the next command (or transaction), see KeyTracking
    private static void caching(Client c, byte[][] a) {
        try {
            CachingCheck.check(a[2], c.tracking);
        } catch (TrackingCommandError e) {
            throw new CommandError(e.getMessage());
        }
        c.tracking.caching = true;
        c.reply().ok();
    }
}
