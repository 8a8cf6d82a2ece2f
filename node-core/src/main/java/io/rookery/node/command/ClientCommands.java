package io.rookery.node.command;

import io.netty.channel.EventLoop;
import io.rookery.node.client.Client;
import io.rookery.node.client.ClientRegistry;
import io.rookery.node.client.ReplyMode;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** CLIENT subcommands: identity, listing, killing, names, reply mode, pause, no-evict. */
final class ClientCommands extends CommandGroup {

    private final ClientRegistry clients;
    private final EventLoop loop;

    ClientCommands(CommandBasics basics, ClientRegistry clients, EventLoop loop) {
        super(basics);
        this.clients = clients;
        this.loop = loop;
    }

    void register(CommandRegistry r) {
        dispatcher.acl().clientInfo(this::describe); // ACL LOG entries carry the CLIENT LIST line
        r.register("client|id", (c, a) -> c.reply().integer(c.id()))
                .register("client|info", (c, a) -> c.reply().verbatim("txt", describe(c) + "\n"))
                .register("client|list", this::list)
                .register("client|kill", this::kill)
                .register("client|setname", (c, a) -> {
                    String name = Args.text(a[2]);
                    validateName(name);
                    c.name = name;
                    c.reply().ok();
                })
                .register("client|getname", (c, a) -> c.reply().bulk(c.name.isEmpty() ? null : Args.bytes(c.name)))
                .register("client|setinfo", this::setinfo)
                .register("client|reply", this::reply)
                .register("client|pause", this::pause)
                .register("client|unpause", (c, a) -> {
                    dispatcher.unpause();
                    c.reply().ok();
                })
                .register("client|no-evict", (c, a) -> {
                    if (Args.is(a[2], "ON")) {
                        c.noEvict = true;
                    } else if (Args.is(a[2], "OFF")) {
                        c.noEvict = false;
                    } else {
                        throw Errors.syntax();
                    }
                    c.reply().ok();
                })
                .register("client|help", (c, a) -> Help.reply(c.reply(), "CLIENT",
                        "CACHING (YES|NO)", "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
                        "GETREDIR", "    Return the client ID we are redirecting to when tracking is enabled.",
                        "GETNAME", "    Return the name of the current connection.",
                        "ID", "    Return the ID of the current connection.",
                        "INFO", "    Return information about the current client connection.",
                        "KILL <ip:port>", "    Kill connection made from <ip:port>.",
                        "KILL <option> <value> [<option> <value> [...]]",
                        "    Kill connections. Options are: ID, ADDR, LADDR, TYPE (NORMAL|MASTER|REPLICA|PUBSUB), USER, SKIPME (YES|NO).",
                        "LIST [TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] [ID <id> ...]", "    Return information about client connections.",
                        "UNPAUSE", "    Stop the current client pause, resuming traffic.",
                        "PAUSE <timeout> [WRITE|ALL]", "    Suspend all, or just write, clients for <timeout> milliseconds.",
                        "REPLY (ON|OFF|SKIP)", "    Control the replies sent to the current connection.",
                        "SETNAME <name>", "    Assign the name <name> to the current connection.",
                        "SETINFO <LIB-NAME|LIB-VER> <value>", "    Set client library name or version.",
                        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
                        "         [OPTIN] [OPTOUT] [NOLOOP]", "    Control server assisted client side caching.",
                        "TRACKINGINFO", "    Report tracking status for the current connection.",
                        "NO-EVICT (ON|OFF)", "    Protect current client connection from eviction.",
                        "HELP", "    Prints this help."));
    }

    static void validateName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') {
                throw new CommandError("ERR Client names cannot contain spaces, newlines or special characters.");
            }
        }
    }

    private static final Client.Subscriptions NO_SUBSCRIPTIONS = new Client.Subscriptions();

    /** One CLIENT LIST line, with Redis 7's fields (plus 7.2's lib-name and lib-ver). */
    String describe(Client c) {
        long now = System.currentTimeMillis();
        long out = c.connection().pendingOutputBytes();
        Client.Subscriptions subs = c.hasSubscriptions() ? c.subscriptions() : NO_SUBSCRIPTIONS;
        return "id=" + c.id()
                + " addr=" + c.connection().remoteAddress()
                + " laddr=" + c.connection().localAddress()
                + " fd=" + c.connection().fd() + " name=" + c.name
                + " age=" + (now - c.createdAt()) / 1000
                + " idle=" + (now - c.lastInteraction) / 1000
                + " flags=" + c.flags()
                + " db=" + c.db
                + " sub=" + subs.channels.size() + " psub=" + subs.patterns.size() + " ssub=" + subs.shardChannels.size()
                + " multi=-1 qbuf=" + c.queryBuffer.used() + " qbuf-free=" + c.queryBuffer.free()
                + " argv-mem=0 multi-mem=0 rbs=1024 rbp=0"
                + " obl=0 oll=0 omem=" + out
                + " tot-mem=" + (1024 + out + c.queryBuffer.capacity())
                + " events=r cmd=" + c.lastCommand
                + " user=" + c.user + " redir=" + c.tracking.reportedRedirect() + " resp=" + c.protocol()
                + " lib-name=" + c.libName + " lib-ver=" + c.libVersion;
    }

    // CLIENT LIST [TYPE <NORMAL | MASTER | REPLICA | PUBSUB>] [ID client-id [client-id ...]]
    private void list(Client c, byte[][] a) {
        String type = null;
        Set<Long> ids = null;
        if (a.length >= 4 && Args.is(a[2], "TYPE") && a.length == 4) {
            type = clientType(a[3]);
        } else if (a.length >= 4 && Args.is(a[2], "ID")) {
            ids = new HashSet<>();
            for (int i = 3; i < a.length; i++) {
                long id = Args.integer(a[i], "ERR Invalid client ID");
                if (id < 1) {
                    throw new CommandError("ERR Invalid client ID");
                }
                ids.add(id);
            }
        } else if (a.length != 2) {
            throw Errors.syntax();
        }
        StringBuilder sb = new StringBuilder();
        for (Client other : clients.all()) {
            if (type != null && !other.clientClass().equals(type) || ids != null && !ids.contains(other.id())) {
                continue;
            }
            sb.append(describe(other)).append('\n');
        }
        c.reply().verbatim("txt", sb.toString());
    }

    private static String clientType(byte[] arg) {
        String t = Args.text(arg).toLowerCase(Locale.ROOT);
        return switch (t) {
            case "normal", "master", "pubsub" -> t;
            case "replica", "slave" -> "replica";
            default -> throw new CommandError("ERR Unknown client type '" + Args.text(arg) + "'");
        };
    }

    // CLIENT KILL ip:port | CLIENT KILL [ID id] [TYPE type] [USER user] [ADDR ip:port] [LADDR ip:port] [SKIPME yes|no]
    private void kill(Client c, byte[][] a) {
        if (a.length == 3) {
            String addr = Args.text(a[2]);
            for (Client other : new ArrayList<>(clients.all())) {
                if (other.connection().remoteAddress().equals(addr)) {
                    killClient(c, other);
                    c.reply().ok();
                    return;
                }
            }
            throw new CommandError("ERR No such client");
        }
        if (a.length % 2 != 0) {
            throw Errors.syntax();
        }
        long id = -1;
        String type = null;
        String user = null;
        String addr = null;
        String laddr = null;
        boolean skipMe = true;
        for (int i = 2; i < a.length; i += 2) {
            byte[] opt = a[i];
            byte[] val = a[i + 1];
            if (Args.is(opt, "ID")) {
                id = Args.integer(val, "ERR client-id should be greater than 0");
                if (id <= 0) {
                    throw new CommandError("ERR client-id should be greater than 0");
                }
            } else if (Args.is(opt, "TYPE")) {
                type = clientType(val);
            } else if (Args.is(opt, "USER")) {
                user = Args.text(val);
                if (!user.equals("default")) {
                    throw new CommandError("ERR No such user '" + user + "'");
                }
            } else if (Args.is(opt, "ADDR")) {
                addr = Args.text(val);
            } else if (Args.is(opt, "LADDR")) {
                laddr = Args.text(val);
            } else if (Args.is(opt, "SKIPME")) {
                if (Args.is(val, "YES")) {
                    skipMe = true;
                } else if (Args.is(val, "NO")) {
                    skipMe = false;
                } else {
                    throw Errors.syntax();
                }
            } else {
                throw Errors.syntax();
            }
        }
        long killed = 0;
        for (Client other : new ArrayList<>(clients.all())) {
            if (id != -1 && other.id() != id
                    || type != null && !other.clientClass().equals(type)
                    || addr != null && !other.connection().remoteAddress().equals(addr)
                    || laddr != null && !other.connection().localAddress().equals(laddr)
                    || skipMe && other == c) {
                continue;
            }
            killClient(c, other);
            killed++;
        }
        c.reply().integer(killed);
    }

    /** Closes {@code victim}; killing oneself closes after this reply is sent. */
    private static void killClient(Client self, Client victim) {
        if (victim == self) {
            victim.closing = true; // the connection closes once this reply is flushed
        } else {
            victim.connection().close();
        }
    }

    // CLIENT SETINFO <LIB-NAME libname | LIB-VER libver>
    private void setinfo(Client c, byte[][] a) {
        String value = Args.text(a[3]);
        if (Args.is(a[2], "LIB-NAME")) {
            validateInfo(value, "lib-name");
            c.libName = value;
        } else if (Args.is(a[2], "LIB-VER")) {
            validateInfo(value, "lib-ver");
            c.libVersion = value;
        } else {
            throw new CommandError("ERR Unrecognized option '" + Args.text(a[2]) + "'");
        }
        c.reply().ok();
    }

    private static void validateInfo(String value, String field) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < '!' || ch > '~') {
                throw new CommandError("ERR " + field + " cannot contain spaces, newlines or special characters.");
            }
        }
    }

    private void reply(Client c, byte[][] a) {
        if (Args.is(a[2], "ON")) {
            c.replyMode = ReplyMode.ON;
            c.skippingReply = false;
            c.reply().ok();
        } else if (Args.is(a[2], "OFF")) {
            c.replyMode = ReplyMode.OFF;
        } else if (Args.is(a[2], "SKIP")) {
            if (c.replyMode != ReplyMode.OFF) {
                c.replyMode = ReplyMode.SKIP;
            }
        } else {
            throw Errors.syntax();
        }
    }

    // CLIENT PAUSE timeout [WRITE | ALL]
    private void pause(Client c, byte[][] a) {
        long timeout = Args.integer(a[2], "ERR timeout is not an integer or out of range");
        if (timeout < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        boolean writesOnly = false;
        if (a.length == 4) {
            if (Args.is(a[3], "WRITE")) {
                writesOnly = true;
            } else if (!Args.is(a[3], "ALL")) {
                throw new CommandError("ERR CLIENT PAUSE mode must be WRITE or ALL");
            }
        } else if (a.length > 4) {
            throw Errors.syntax();
        }
        long until = keyspace.now() + timeout;
        dispatcher.pause(until, writesOnly);
        loop.schedule(() -> dispatcher.checkPause(System.currentTimeMillis()),
                timeout + 1, java.util.concurrent.TimeUnit.MILLISECONDS);
        c.reply().ok();
    }
}
