package io.rookery.node.command;

import io.rookery.node.client.Client;
import io.rookery.node.client.ClientRegistry;
import io.rookery.node.client.TrackingState;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.keyspace.BinaryKey;
import io.rookery.node.tracking.KeyTracking;
import io.rookery.protocol.RespWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The client-side caching subcommands of CLIENT (Redis's networking.c): TRACKING, CACHING,
 * GETREDIR and TRACKINGINFO. Option checks and their error texts follow Redis's order; the
 * tracking itself is {@link KeyTracking}'s.
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
                .register("client|caching", this::caching)
                .register("client|getredir", (c, a) -> c.reply().integer(c.tracking.enabled ? c.tracking.redirect : -1))
                .register("client|trackinginfo", this::trackingInfo);
    }

    // CLIENT TRACKING <ON | OFF> [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]
    private void trackingCommand(Client c, byte[][] a) {
        long redirect = 0;
        boolean bcast = false;
        boolean optin = false;
        boolean optout = false;
        boolean noloop = false;
        List<byte[]> prefixes = new ArrayList<>();
        for (int i = 3; i < a.length; i++) {
            boolean more = i + 1 < a.length;
            if (Args.is(a[i], "REDIRECT") && more) {
                i++;
                if (redirect != 0) {
                    throw new CommandError("ERR A client can only redirect to a single other client");
                }
                redirect = Args.integer(a[i]);
                if (clients.get(redirect) == null) {
                    throw new CommandError("ERR The client ID you want redirect to does not exist");
                }
            } else if (Args.is(a[i], "BCAST")) {
                bcast = true;
            } else if (Args.is(a[i], "OPTIN")) {
                optin = true;
            } else if (Args.is(a[i], "OPTOUT")) {
                optout = true;
            } else if (Args.is(a[i], "NOLOOP")) {
                noloop = true;
            } else if (Args.is(a[i], "PREFIX") && more) {
                prefixes.add(a[++i]);
            } else {
                throw Errors.syntax();
            }
        }
        TrackingState t = c.tracking;
        if (Args.is(a[2], "ON")) {
            if (!bcast && !prefixes.isEmpty()) {
                throw new CommandError("ERR PREFIX option requires BCAST mode to be enabled");
            }
            if (t.enabled && t.bcast != bcast) {
                throw new CommandError("ERR You can't switch BCAST mode on/off before disabling tracking for this "
                        + "client, and then re-enabling it with a different mode.");
            }
            if (bcast && (optin || optout)) {
                throw new CommandError("ERR OPTIN and OPTOUT are not compatible with BCAST");
            }
            if (optin && optout) {
                throw new CommandError("ERR You can't specify both OPTIN mode and OPTOUT mode");
            }
            if (optin && t.optout || optout && t.optin) {
                throw new CommandError("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this "
                        + "client, and then re-enabling it with a different mode.");
            }
            if (bcast) {
                String collision = KeyTracking.prefixCollision(c, prefixes);
                if (collision != null) {
                    throw new CommandError(collision);
                }
            }
            tracking.enable(c, redirect, bcast, optin, optout, noloop, prefixes);
        } else if (Args.is(a[2], "OFF")) {
            tracking.disable(c);
        } else {
            throw Errors.syntax();
        }
        c.reply().ok();
    }

    // CLIENT CACHING <YES | NO>
    private void caching(Client c, byte[][] a) {
        TrackingState t = c.tracking;
        if (!t.enabled) {
            throw new CommandError("ERR CLIENT CACHING can be called only when the client is in tracking mode with "
                    + "OPTIN or OPTOUT mode enabled");
        }
        if (Args.is(a[2], "YES")) {
            if (!t.optin) {
                throw new CommandError("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
            }
        } else if (Args.is(a[2], "NO")) {
            if (!t.optout) {
                throw new CommandError("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
            }
        } else {
            throw Errors.syntax();
        }
        t.caching = true;
        c.reply().ok();
    }

    /** A map: flags (a set: on|off, bcast, optin, caching-yes, optout, caching-no, noloop, broken_redirect), redirect, prefixes. */
    private void trackingInfo(Client c, byte[][] a) {
        TrackingState t = c.tracking;
        List<String> flags = new ArrayList<>();
        flags.add(t.enabled ? "on" : "off");
        if (t.bcast) {
            flags.add("bcast");
        }
        if (t.optin) {
            flags.add("optin");
            if (t.caching) {
                flags.add("caching-yes");
            }
        }
        if (t.optout) {
            flags.add("optout");
            if (t.caching) {
                flags.add("caching-no");
            }
        }
        if (t.noloop) {
            flags.add("noloop");
        }
        if (t.brokenRedirect) {
            flags.add("broken_redirect");
        }
        RespWriter r = c.reply();
        r.map(3);
        r.bulk("flags");
        r.set(flags.size());
        for (String f : flags) {
            r.bulk(f);
        }
        r.bulk("redirect");
        r.integer(t.enabled ? t.redirect : -1);
        r.bulk("prefixes");
        r.array(t.prefixes.size());
        for (BinaryKey p : t.prefixes) {
            r.bulk(p.bytes());
        }
    }
}
