package io.rookery.gateway;

import io.rookery.protocol.Numbers;
import io.rookery.protocol.RespWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CLIENT about the gateway's own client connections, with redis-server 7.0's replies and error texts:
 * ID, INFO, LIST [TYPE t | ID id...], SETNAME, GETNAME, KILL (the old {@code addr:port} form and the
 * ID/TYPE/ADDR/LADDR/USER/SKIPME filters), PAUSE/UNPAUSE ({@link ClientPause}), REPLY ON/OFF/SKIP,
 * NO-EVICT; UNBLOCK is {@link ClientUnblock}'s. Client-side caching (TRACKING, CACHING, GETREDIR, TRACKINGINFO) is {@link TrackingCommands}'s.
 */
final class ClientCommands {
    private static final String SYNTAX = "ERR syntax error";

    private final GatewayContext gateway;

    ClientCommands(GatewayContext gateway) {
        this.gateway = gateway;
    }

    /** Runs CLIENT {@code sub}; the reply goes to {@code w}, or nowhere when {@code r} is silenced. */
    void run(ClientSession c, String sub, byte[][] args, RespWriter w, ClientSession.PendingReply r) {
        switch (sub) {
            case "id" -> w.integer(c.id());
            case "info" -> w.verbatim("txt", line(c) + "\n");
            case "list" -> list(args, w);
            case "setname" -> {
                String n = text(args[2]);
                for (char ch : n.toCharArray()) {
                    if (ch < '!' || ch > '~') {
                        w.error("ERR Client names cannot contain spaces, newlines or special characters.");
                        return;
                    }
                }
                c.name = n;
                w.ok();
            }
            case "getname" -> {
                if (c.name.isEmpty()) {
                    w.nullBulk();
                } else {
                    w.bulk(c.name);
                }
            }
            case "kill" -> kill(c, args, w);
            case "pause" -> pause(args, w);
            case "unpause" -> {
                gateway.clients().pause.unpause();
                w.ok();
            }
            case "reply" -> {
                String mode = text(args[2]).toLowerCase(Locale.ROOT);
                switch (mode) {
                    case "on" -> {
                        c.replyOff = false;
                        c.skipNext = false;
                        r.silent = false;
                        w.ok();
                    }
                    case "off" -> {
                        c.replyOff = true;
                        r.silent = true;
                        w.ok();
                    }
                    case "skip" -> {
                        if (!c.replyOff) {
                            c.skipNext = true;
                        }
                        r.silent = true;
                        w.ok();
                    }
                    default -> w.error(SYNTAX);
                }
            }
            case "no-evict" -> {
                String mode = text(args[2]).toLowerCase(Locale.ROOT);
                if (mode.equals("on") || mode.equals("off")) {
                    c.noEvict = mode.equals("on");
                    w.ok();
                } else {
                    w.error(SYNTAX);
                }
            }
            case "help" -> {
                String[] lines = {"CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                        "ID", "    Return the ID of the current connection.",
                        "INFO", "    Return information about the current client connection.",
                        "KILL <ip:port>", "    Kill connection made from <ip:port>.",
                        "KILL <option> <value> [<option> <value> [...]]",
                        "    Kill connections. Options are: ID, TYPE, USER, ADDR, LADDR, SKIPME.",
                        "LIST [options ...]", "    Return information about client connections.",
                        "GETNAME", "    Return the name of the current connection.",
                        "SETNAME <name>", "    Assign the name <name> to the current connection.",
                        "PAUSE <timeout> [WRITE|ALL]", "    Suspend clients for <timeout> milliseconds.",
                        "UNPAUSE", "    Stop the current client pause, resuming traffic.",
                        "REPLY (ON|OFF|SKIP)", "    Control the replies sent to the current connection.",
                        "UNBLOCK <clientid> [TIMEOUT|ERROR]", "    Unblock the specified blocked client.",
                        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
                        "         [OPTIN] [OPTOUT] [NOLOOP]", "    Control server assisted client side caching.",
                        "TRACKINGINFO", "    Report tracking status for the current connection.",
                        "CACHING (YES|NO)",
                        "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
                        "GETREDIR", "    Return the client ID we are redirecting to when tracking is enabled.",
                        "NO-EVICT (ON|OFF)", "    Protect current client connection from eviction.",
                        "HELP", "    Print this help."};
                w.array(lines.length);
                for (String l : lines) {
                    w.simple(l);
                }
            }
            default -> w.error("ERR gateway: CLIENT " + sub.toUpperCase(Locale.ROOT) + " is not supported through the gateway");
        }
    }

    private void list(byte[][] args, RespWriter w) {
        StringBuilder sb = new StringBuilder();
        if (args.length == 4 && text(args[2]).equalsIgnoreCase("type")) {
            String type = text(args[3]).toLowerCase(Locale.ROOT);
            if (!isType(type)) {
                w.error("ERR Unknown client type '" + text(args[3]) + "'");
                return;
            }
            for (ClientSession s : gateway.clients().all()) {
                if (type(s).equals(type)) {
                    sb.append(line(s)).append('\n');
                }
            }
        } else if (args.length > 3 && text(args[2]).equalsIgnoreCase("id")) {
            for (int i = 3; i < args.length; i++) {
                long id = Numbers.parseLong(args[i]);
                if (id == Numbers.INVALID) {
                    w.error("ERR Invalid client ID");
                    return;
                }
                ClientSession s = gateway.clients().byId(id);
                if (s != null) {
                    sb.append(line(s)).append('\n');
                }
            }
        } else if (args.length != 2) {
            w.error(SYNTAX);
            return;
        } else {
            for (ClientSession s : gateway.clients().all()) {
                sb.append(line(s)).append('\n');
            }
        }
        w.verbatim("txt", sb.toString());
    }

    private void kill(ClientSession c, byte[][] args, RespWriter w) {
        String addr = null;
        String laddr = null;
        String type = null;
        long id = 0;
        boolean skipMe = true;
        if (args.length == 3) {
            addr = text(args[2]);
            skipMe = false;
        } else {
            for (int i = 2; i < args.length; i += 2) {
                String opt = text(args[i]).toLowerCase(Locale.ROOT);
                boolean more = i + 1 < args.length;
                if (!more) {
                    w.error(SYNTAX);
                    return;
                }
                String value = text(args[i + 1]);
                switch (opt) {
                    case "id" -> {
                        id = Numbers.parseLong(args[i + 1]);
                        if (id == Numbers.INVALID || id < 1) {
                            w.error("ERR client-id should be greater than 0");
                            return;
                        }
                    }
                    case "type" -> {
                        type = value.toLowerCase(Locale.ROOT);
                        if (!isType(type)) {
                            w.error("ERR Unknown client type '" + value + "'");
                            return;
                        }
                    }
                    case "addr" -> addr = value;
                    case "laddr" -> laddr = value;
                    case "user" -> {
                        if (!value.equals("default")) {
                            w.error("ERR No such user '" + value + "'");
                            return;
                        }
                    }
                    case "skipme" -> {
                        if (value.equalsIgnoreCase("yes")) {
                            skipMe = true;
                        } else if (value.equalsIgnoreCase("no")) {
                            skipMe = false;
                        } else {
                            w.error(SYNTAX);
                            return;
                        }
                    }
                    default -> {
                        w.error(SYNTAX);
                        return;
                    }
                }
            }
        }
        List<ClientSession> victims = new ArrayList<>();
        for (ClientSession s : gateway.clients().all()) {
            if ((addr != null && !addr.equals(s.remoteAddress())) || (laddr != null && !laddr.equals(s.localAddress()))
                    || (type != null && !type(s).equals(type)) || (id != 0 && s.id() != id) || (s == c && skipMe)) {
                continue;
            }
            victims.add(s);
        }
        if (args.length == 3) {
            if (victims.isEmpty()) {
                w.error("ERR No such client");
            } else {
                w.ok();
            }
        } else {
            w.integer(victims.size());
        }
        for (ClientSession s : victims) {
            if (s == c) {
                c.closeAfterFlush();
            } else {
                s.closeNow();
            }
        }
    }

    private void pause(byte[][] args, RespWriter w) {
        ClientPause.Mode mode = ClientPause.Mode.ALL;
        if (args.length == 4) {
            String m = text(args[3]).toLowerCase(Locale.ROOT);
            if (m.equals("write")) {
                mode = ClientPause.Mode.WRITE;
            } else if (!m.equals("all")) {
                w.error("ERR CLIENT PAUSE mode must be WRITE or ALL");
                return;
            }
        } else if (args.length != 3) {
            w.error("ERR unknown subcommand or wrong number of arguments for '" + text(args[1]) + "'. Try CLIENT HELP.");
            return;
        }
        long timeout = Numbers.parseLong(args[2]);
        if (timeout == Numbers.INVALID) {
            w.error("ERR timeout is not an integer or out of range");
            return;
        }
        if (timeout < 0) {
            w.error("ERR timeout is negative");
            return;
        }
        gateway.clients().pause.pause(System.currentTimeMillis() + timeout, mode);
        w.ok();
    }

    private static boolean isType(String type) {
        return type.equals("normal") || type.equals("pubsub") || type.equals("master") || type.equals("replica")
                || type.equals("slave");
    }

    private static String type(ClientSession s) {
        return s.state.subscribed() ? "pubsub" : "normal";
    }

    /** One CLIENT LIST line, in redis-server 7.0's field order. */
    static String line(ClientSession s) {
        StringBuilder flags = new StringBuilder();
        if (s.state.subscribed()) {
            flags.append('P');
        }
        if (s.state.inTransaction()) {
            flags.append('x');
        }
        if (s.blocked()) {
            flags.append('b');
        }
        s.tracking.appendClientListFlags(flags);
        if (s.noEvict) {
            flags.append('e');
        }
        if (flags.isEmpty()) {
            flags.append('N');
        }
        int shard = 0;
        try {
            for (int n : List.copyOf(s.state.shardSubscriptions.values())) {
                shard += n;
            }
        } catch (RuntimeException changing) {
            // the client's own loop changed its subscriptions meanwhile: a figure of a moment is enough
        }
        List<byte[][]> queued = s.state.queued;
        long obl = s.pendingOutput();
        return "id=" + s.id() + " addr=" + s.remoteAddress() + " laddr=" + s.localAddress() + " fd=-1 name=" + s.name()
                + " age=" + s.ageSeconds() + " idle=" + s.idleSeconds() + " flags=" + flags + " db=0 sub="
                + s.state.subscriptions + " psub=0 ssub=" + shard + " multi="
                + (queued != null ? queued.size() : -1)
                + " qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=" + obl + " tot-mem=" + obl
                + " events=r cmd=" + s.lastCommand() + " user=default redir=" + s.tracking.reportedRedirect()
                + " resp=" + s.protocol();
    }

    private static String text(byte[] arg) {
        return CommandRouter.text(arg);
    }
}
