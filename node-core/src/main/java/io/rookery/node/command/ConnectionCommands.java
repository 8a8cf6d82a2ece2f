package io.rookery.node.command;

import io.rookery.node.NodeProfile;
import io.rookery.node.NodeVersion;
import io.rookery.node.acl.AclUsers;
import io.rookery.node.client.Client;
import io.rookery.node.client.ReplyMode;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.pubsub.PubSub;
import io.rookery.protocol.RespWriter;

/** Connection commands: PING, ECHO, HELLO, AUTH, QUIT, RESET. */
final class ConnectionCommands extends CommandGroup {

    private final PubSub pubsub;
    private final NodeProfile profile;

    ConnectionCommands(CommandBasics basics, PubSub pubsub, NodeProfile profile) {
        super(basics);
        this.pubsub = pubsub;
        this.profile = profile;
    }

    void register(CommandRegistry r) {
        r.register("ping", this::ping)
                .register("echo", (c, a) -> c.reply().bulk(a[1]))
                .register("hello", this::hello)
                .register("auth", this::auth)
                .register("quit", (c, a) -> {
                    c.reply().ok();
                    c.closing = true;
                    c.connection().closeAfterFlush();
                })
                .register("reset", this::reset);
    }

    private void ping(Client c, byte[][] a) {
        if (a.length > 2) {
            throw new CommandError(Errors.arity("ping"));
        }
        if (c.protocol() == 2 && c.hasSubscriptions()) {
            c.reply().array(2); // RESP2 subscribed mode answers PING as a message-like array
            c.reply().bulk("pong");
            c.reply().bulk(a.length == 1 ? new byte[0] : a[1]);
        } else if (a.length == 1) {
            c.reply().simple("PONG");
        } else {
            c.reply().bulk(a[1]);
        }
    }

    /** Checks a username/password pair against the ACL users (the default user's password is requirepass). */
    boolean passwordMatches(String user, byte[] password) {
        return dispatcher.acl().authenticate(user, password);
    }

    // AUTH [username] password
    private void auth(Client c, byte[][] a) {
        if (a.length > 3) {
            throw Errors.syntax();
        }
        if (a.length == 2 && dispatcher.acl().user(AclUsers.DEFAULT).flags().contains("nopass")) {
            throw new CommandError("ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
        }
        String user = a.length == 3 ? Args.text(a[1]) : "default";
        byte[] pass = a[a.length - 1];
        if (!passwordMatches(user, pass)) {
            dispatcher.acl().authFailed(c, user, Args.text(a[0]));
            throw new CommandError(Errors.WRONGPASS);
        }
        c.authenticated = true;
        c.user = user;
        c.reply().ok();
    }

    // HELLO [protover [AUTH username password] [SETNAME clientname]]
    private void hello(Client c, byte[][] a) {
        int version = c.protocol();
        int i = 1;
        if (a.length >= 2) {
            long v = Args.integer(a[1], "ERR Protocol version is not an integer or out of range");
            if (v < 2 || v > 3) {
                throw new CommandError("NOPROTO unsupported protocol version");
            }
            version = (int) v;
            i = 2;
        }
        String user = null;
        byte[] pass = null;
        String name = null;
        for (; i < a.length; i++) {
            int left = a.length - i - 1;
            if (Args.is(a[i], "AUTH") && left >= 2) {
                user = Args.text(a[i + 1]);
                pass = a[i + 2];
                i += 2;
            } else if (Args.is(a[i], "SETNAME") && left >= 1) {
                name = Args.text(a[i + 1]);
                ClientCommands.validateName(name);
                i++;
            } else {
                throw new CommandError("ERR Syntax error in HELLO option '" + Args.text(a[i]) + "'");
            }
        }
        if (user != null) {
            if (!passwordMatches(user, pass)) {
                dispatcher.acl().authFailed(c, user, Args.text(a[0]));
                throw new CommandError(Errors.WRONGPASS);
            }
            c.authenticated = true;
            c.user = user;
        }
        if (!c.authenticated && dispatcher.acl().authRequired()) {
            throw new CommandError("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                    + "HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
                    + "protocol version at the same time");
        }
        if (name != null) {
            c.name = name;
        }
        c.protocol(version);
        RespWriter r = c.reply();
        boolean sentinel = profile == NodeProfile.SENTINEL_HOST;
        r.map(sentinel ? 6 : 7);
        r.bulk("server");
        r.bulk("redis");
        r.bulk("version");
        r.bulk(NodeVersion.REDIS_VERSION);
        r.bulk("proto");
        r.integer(version);
        r.bulk("id");
        r.integer(c.id());
        r.bulk("mode");
        r.bulk(profile.redisMode());
        if (!sentinel) {
            r.bulk("role");
            r.bulk("master");
        }
        r.bulk("modules");
        r.emptyArray();
    }

    private void reset(Client c, byte[][] a) {
        dispatcher.forget(c);
        pubsub.forget(c);
        c.db = 0;
        c.protocol(2);
        c.name = "";
        c.replyMode = ReplyMode.ON;
        c.skippingReply = false;
        c.monitor = false;
        c.noEvict = false;
        c.user = AclUsers.DEFAULT;
        c.authenticated = !dispatcher.acl().authRequired();
        c.reply().simple("RESET");
    }
}
