package io.rookery.node.command;

import io.rookery.node.acl.AclUsers;
import io.rookery.node.client.Client;
import io.rookery.node.client.ClientRegistry;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.protocol.RespWriter;
import java.util.ArrayList;
import java.util.List;

/** ACL SETUSER, DELUSER, USERS, LIST, WHOAMI and HELP over {@link AclUsers}. */
final class AclCommands extends CommandGroup {
    private final AclUsers users;
    private final ClientRegistry clients;

    AclCommands(CommandBasics basics, AclUsers users, ClientRegistry clients) {
        super(basics);
        this.users = users;
        this.clients = clients;
    }

    void register(CommandRegistry r) {
        r.register("acl|setuser", this::setuser)
                .register("acl|deluser", this::deluser)
                .register("acl|users", (c, a) -> strings(c.reply(), users.names()))
                .register("acl|list", (c, a) -> strings(c.reply(), users.describeAll()))
                .register("acl|whoami", (c, a) -> c.reply().bulk(c.user))
                .register("acl|help", (c, a) -> Help.reply(c.reply(), "ACL",
                        "DELUSER <username> [<username> ...]", "    Delete a list of users.",
                        "LIST", "    Show users details in config file format.",
                        "SETUSER <username> <attribute> [<attribute> ...]",
                        "    Create or modify a user with the specified attributes.",
                        "USERS", "    List all the registered usernames.",
                        "WHOAMI", "    Return the current connection username."));
    }

    private static void strings(RespWriter r, List<String> values) {
        r.array(values.size());
        for (String v : values) {
            r.bulk(v);
        }
    }

    // ACL SETUSER username [rule [rule ...]]
    private void setuser(Client c, byte[][] a) {
        List<String> rules = new ArrayList<>();
        for (int i = 3; i < a.length; i++) {
            rules.add(Args.text(a[i]));
        }
        String error = users.setUser(Args.text(a[2]), rules);
        if (error != null) {
            throw new CommandError(error);
        }
        c.reply().ok();
    }

    // ACL DELUSER username [username ...]: connections authenticated as a deleted user are closed
    private void deluser(Client c, byte[][] a) {
        List<String> names = new ArrayList<>();
        for (int i = 2; i < a.length; i++) {
            String n = Args.text(a[i]);
            if (n.equals(AclUsers.DEFAULT)) {
                throw new CommandError("ERR The 'default' user cannot be removed");
            }
            names.add(n);
        }
        List<String> deleted = users.delete(names);
        for (Client other : new ArrayList<>(clients.all())) {
            if (deleted.contains(other.user)) {
                if (other == c) {
                    other.closing = true; // after this reply
                } else {
                    other.connection().close();
                }
            }
        }
        c.reply().integer(deleted.size());
    }
}
