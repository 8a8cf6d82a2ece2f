package io.rookery.gateway;

import io.rookery.protocol.Numbers;
import io.rookery.protocol.RespWriter;
import io.rookery.protocol.command.CommandSpec;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Set;

/**
 * Commands the gateway answers itself, as the one Redis server it stands for: PING, ECHO, QUIT, RESET,
 * HELLO (the client's protocol; later requests go to backend links of that protocol), AUTH against the
 * gateway's own {@code requirepass}, SELECT 0, CLIENT about this connection, INFO about the gateway,
 * READONLY/READWRITE (accepted), ROLE (a primary, as clients that check it expect), and refusals for what cannot pass a proxy (MONITOR, replication,
 * CLUSTER: the gateway is not a cluster node).
 */
final class LocalCommands {
    static final String VERSION = "7.0.15";
    private static final Set<String> HANDLED = Set.of("ping", "echo", "quit", "reset", "hello", "auth", "select",
            "info", "readonly", "readwrite", "cluster", "asking", "monitor", "sync", "psync", "replicaof", "slaveof",
            "shutdown", "failover", "debug", "swapdb", "move", "role", "lastsave", "save", "bgsave", "bgrewriteaof");

    private final GatewayContext gateway;
    private final ClientCommands clients;
    private final TrackingCommands tracking;
    private final ClientUnblock unblock;
    private final KeyspaceInfo keyspace;

    LocalCommands(GatewayContext gateway, LoopBackends backends) {
        this.gateway = gateway;
        this.clients = new ClientCommands(gateway);
        this.tracking = new TrackingCommands(gateway, backends);
        this.unblock = new ClientUnblock(gateway, backends);
        this.keyspace = new KeyspaceInfo(backends);
    }

    static boolean handles(String name) {
        return HANDLED.contains(name) || name.startsWith("client|") || name.startsWith("cluster|");
    }

    void run(ClientSession c, CommandSpec spec, byte[][] args) {
        String name = spec.name();
        ClientSession.PendingReply r = c.enqueue(name);
        RespWriter w = CommandRouter.writer(c);
        switch (name) {
            case "ping" -> {
                if (args.length > 2) {
                    w.error("ERR wrong number of arguments for 'ping' command");
                } else if (args.length == 2) {
                    w.bulk(args[1]);
                } else {
                    w.simple("PONG");
                }
            }
            case "echo" -> w.bulk(args[1]);
            case "quit" -> {
                w.ok();
                c.closeAfterFlush();
            }
            case "reset" -> {
                c.backends().invalidations().disable(c);
                c.state.release(c.backends());
                c.protocol = 2;
                w.protocol(2);
                c.name = "";
                c.replyOff = false;
                c.skipNext = false;
                c.noEvict = false;
                String pass = gateway.config().requirepass();
                c.authenticated(pass == null || pass.isEmpty());
                w.simple("RESET");
            }
            case "hello" -> hello(c, args, w);
            case "auth" -> auth(c, args, w);
            case "select" -> {
                long db = Numbers.parseLong(args[1]);
                if (db == Numbers.INVALID || db > Integer.MAX_VALUE || db < Integer.MIN_VALUE) {
                    w.error("ERR value is not an integer or out of range");
                } else if (db != 0) {
                    w.error("ERR DB index is out of range");
                } else {
                    w.ok();
                }
            }
            case "info" -> {
                if (GatewayInfo.wantsKeyspace(args)) {
                    String head = GatewayInfo.render(gateway, args);
                    keyspace.gather(c, section -> {
                        RespWriter out = CommandRouter.writer(c);
                        out.verbatim("txt", head.isEmpty() ? section : head + "\r\n" + section);
                        r.reply(out.target());
                    }, r::failed);
                    w.target().release();
                    return;
                }
                w.verbatim("txt", GatewayInfo.render(gateway, args));
            }
            case "readonly", "readwrite", "asking" -> w.ok();
            case "role" -> {
                w.array(3);
                w.bulk("master");
                w.integer(0);
                w.emptyArray();
            }
            default -> {
                if (name.equals("client|unblock")) {
                    unblock.run(c, args, r);
                    w.target().release();
                    return;
                }
                if (TrackingCommands.handles(name)) {
                    tracking.run(c, name, args, r);
                    w.target().release();
                    return;
                }
                if (name.startsWith("client|")) {
                    clients.run(c, name.substring(7), args, w, r);
                } else if (name.equals("cluster") || name.startsWith("cluster|")) {
                    w.error("ERR This instance has cluster support disabled");
                } else {
                    w.error("ERR gateway: " + name.toUpperCase(Locale.ROOT) + " is not supported through the gateway");
                }
            }
        }
        r.reply(w.target());
    }

    /** HELLO [protover [AUTH user pass] [SETNAME name]]: switches the protocol and answers the server map. */
    private void hello(ClientSession c, byte[][] args, RespWriter w) {
        int proto = c.protocol;
        if (args.length > 1) {
            long v = Numbers.parseLong(args[1]);
            if (v == Numbers.INVALID) {
                w.error("ERR Protocol version is not an integer or out of range");
                return;
            }
            if (v != 2 && v != 3) {
                w.error("NOPROTO unsupported protocol version");
                return;
            }
            proto = (int) v;
        }
        String setName = null;
        for (int i = 2; i < args.length; i++) {
            String opt = CommandRouter.text(args[i]).toUpperCase(Locale.ROOT);
            if (opt.equals("AUTH") && i + 2 < args.length) {
                if (!passwordMatches(CommandRouter.text(args[i + 1]), CommandRouter.text(args[i + 2]))) {
                    w.error("WRONGPASS invalid username-password pair or user is disabled.");
                    return;
                }
                c.authenticated(true);
                i += 2;
            } else if (opt.equals("SETNAME") && i + 1 < args.length) {
                setName = CommandRouter.text(args[++i]);
            } else {
                w.error("ERR Syntax error in HELLO option '" + CommandRouter.text(args[i]) + "'");
                return;
            }
        }
        if (!c.authenticated) {
            w.error("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "
                    + "<proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
                    + "protocol version at the same time");
            return;
        }
        if (setName != null) {
            c.name = setName;
        }
        c.protocol = proto;
        w.protocol(proto);
        w.map(7);
        w.bulk("server");
        w.bulk("redis");
        w.bulk("version");
        w.bulk(VERSION);
        w.bulk("proto");
        w.integer(proto);
        w.bulk("id");
        w.integer(c.id());
        w.bulk("mode");
        w.bulk("standalone");
        w.bulk("role");
        w.bulk("master");
        w.bulk("modules");
        w.emptyArray();
    }

    private boolean passwordMatches(String user, String password) {
        String pass = gateway.config().requirepass();
        if (!user.equals("default")) {
            return false;
        }
        return pass == null || pass.isEmpty() || pass.equals(password);
    }

    private void auth(ClientSession c, byte[][] args, RespWriter w) {
        String pass = gateway.config().requirepass();
        if (args.length > 3) {
            w.error("ERR syntax error");
            return;
        }
        if (args.length == 2 && (pass == null || pass.isEmpty())) {
            w.error("ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
            return;
        }
        String user = args.length == 3 ? CommandRouter.text(args[1]) : "default";
        String given = CommandRouter.text(args[args.length - 1]);
        if (passwordMatches(user, given)) {
            c.authenticated(true);
            w.ok();
        } else {
            w.error("WRONGPASS invalid username-password pair or user is disabled.");
        }
    }

    static long uptimeSeconds() {
        return ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
    }
}
