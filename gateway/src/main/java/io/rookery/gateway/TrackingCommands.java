package io.rookery.gateway;

import io.rookery.protocol.Numbers;
import io.rookery.protocol.RespWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The client-side caching subcommands of CLIENT, answered by the gateway for its own clients with
 * redis-server 7.0's replies and error texts (networking.c): TRACKING, CACHING, GETREDIR and
 * TRACKINGINFO. The tracking itself is {@link Invalidations}'s; CLIENT TRACKING ON answers once the
 * backends' invalidations are flowing to the gateway.
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
        switch (name) {
            case "client|tracking" -> {
                String error = tracking(c, args, r);
                if (error == null) {
                    w.target().release();
                    return;
                }
                w.error(error);
            }
            case "client|caching" -> caching(c, args, w);
            case "client|getredir" -> w.integer(c.tracking.enabled ? c.tracking.redirect : -1);
            default -> trackingInfo(c, w);
        }
        r.reply(w.target());
    }

    // CLIENT TRACKING <ON | OFF> [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]
    /** Checks and applies CLIENT TRACKING in Redis's order; returns the error, or null once the reply is on its way. */
    private String tracking(ClientSession c, byte[][] a, ClientSession.PendingReply r) {
        long redirect = 0;
        boolean bcast = false;
        boolean optin = false;
        boolean optout = false;
        boolean noloop = false;
        List<byte[]> prefixes = new ArrayList<>();
        for (int i = 3; i < a.length; i++) {
            boolean more = i + 1 < a.length;
            String opt = CommandRouter.text(a[i]).toLowerCase(Locale.ROOT);
            if (opt.equals("redirect") && more) {
                i++;
                if (redirect != 0) {
                    return "ERR A client can only redirect to a single other client";
                }
                redirect = Numbers.parseLong(a[i]);
                if (redirect == Numbers.INVALID) {
                    return "ERR value is not an integer or out of range";
                }
                if (gateway.clients().byId(redirect) == null) {
                    return "ERR The client ID you want redirect to does not exist";
                }
            } else if (opt.equals("bcast")) {
                bcast = true;
            } else if (opt.equals("optin")) {
                optin = true;
            } else if (opt.equals("optout")) {
                optout = true;
            } else if (opt.equals("noloop")) {
                noloop = true;
            } else if (opt.equals("prefix") && more) {
                prefixes.add(a[++i]);
            } else {
                return "ERR syntax error";
            }
        }
        TrackingOptions t = c.tracking;
        String mode = CommandRouter.text(a[2]).toLowerCase(Locale.ROOT);
        if (mode.equals("off")) {
            backends.invalidations().disable(c);
            r.reply(CommandRouter.simple("OK"));
            return null;
        }
        if (!mode.equals("on")) {
            return "ERR syntax error";
        }
        if (!bcast && !prefixes.isEmpty()) {
            return "ERR PREFIX option requires BCAST mode to be enabled";
        }
        if (t.enabled && t.bcast != bcast) {
            return "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then "
                    + "re-enabling it with a different mode.";
        }
        if (bcast && (optin || optout)) {
            return "ERR OPTIN and OPTOUT are not compatible with BCAST";
        }
        if (optin && optout) {
            return "ERR You can't specify both OPTIN mode and OPTOUT mode";
        }
        if (optin && t.optout || optout && t.optin) {
            return "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then "
                    + "re-enabling it with a different mode.";
        }
        if (bcast) {
            String collision = prefixCollision(t.prefixes, prefixes);
            if (collision != null) {
                return collision;
            }
        }
        t.brokenRedirect = false;
        t.redirect = redirect;
        t.bcast = bcast;
        t.optin = optin;
        t.optout = optout;
        t.noloop = noloop;
        if (bcast) {
            if (prefixes.isEmpty()) {
                prefixes.add(new byte[0]);
            }
            for (byte[] p : prefixes) {
                if (t.prefixes.stream().noneMatch(x -> Arrays.equals(x, p))) {
                    t.prefixes.add(p);
                }
            }
        }
        t.enabled = true;
        backends.invalidations().enable(c, () -> r.reply(CommandRouter.simple("OK")));
        return null;
    }

    /** Redis's error when a new prefix overlaps an existing one or another new one, else null. */
    static String prefixCollision(List<byte[]> existing, List<byte[]> added) {
        for (int i = 0; i < added.size(); i++) {
            byte[] p = added.get(i);
            for (byte[] e : existing) {
                if (overlap(e, p)) {
                    return "ERR Prefix '" + CommandRouter.text(p) + "' overlaps with an existing prefix '"
                            + CommandRouter.text(e) + "'. Prefixes for a single client must not overlap.";
                }
            }
            for (int j = i + 1; j < added.size(); j++) {
                if (overlap(p, added.get(j))) {
                    return "ERR Prefix '" + CommandRouter.text(p) + "' overlaps with another provided prefix '"
                            + CommandRouter.text(added.get(j)) + "'. Prefixes for a single client must not overlap.";
                }
            }
        }
        return null;
    }

    private static boolean overlap(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        return Arrays.equals(a, 0, n, b, 0, n);
    }

    // CLIENT CACHING <YES | NO>
    private static void caching(ClientSession c, byte[][] a, RespWriter w) {
        TrackingOptions t = c.tracking;
        if (!t.enabled) {
            w.error("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or "
                    + "OPTOUT mode enabled");
            return;
        }
        String opt = CommandRouter.text(a[2]).toLowerCase(Locale.ROOT);
        if (opt.equals("yes")) {
            if (!t.optin) {
                w.error("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
                return;
            }
        } else if (opt.equals("no")) {
            if (!t.optout) {
                w.error("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
                return;
            }
        } else {
            w.error("ERR syntax error");
            return;
        }
        t.caching = true;
        w.ok();
    }

    /** A map: flags (a set: on|off, bcast, optin, caching-yes, optout, caching-no, noloop, broken_redirect), redirect, prefixes. */
    private static void trackingInfo(ClientSession c, RespWriter w) {
        TrackingOptions t = c.tracking;
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
        w.map(3);
        w.bulk("flags");
        w.set(flags.size());
        for (String f : flags) {
            w.bulk(f);
        }
        w.bulk("redirect");
        w.integer(t.enabled ? t.redirect : -1);
        w.bulk("prefixes");
        List<byte[]> sorted = new ArrayList<>(t.prefixes);
        sorted.sort(Arrays::compareUnsigned); // Redis lists them from its radix tree: in byte order
        w.array(sorted.size());
        for (byte[] p : sorted) {
            w.bulk(p);
        }
    }
}
