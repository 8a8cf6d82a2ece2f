package io.rookery.node.command;

import io.rookery.node.acl.AclLog;
import io.rookery.node.acl.AclUser;
import io.rookery.node.acl.AclUsers;
import io.rookery.node.client.Client;
import io.rookery.node.client.ClientRegistry;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.protocol.RespWriter;
import io.rookery.protocol.command.CommandSpec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ACL command family (Redis 7.0's aclCommand): SETUSER, GETUSER, DELUSER, USERS, LIST, WHOAMI,
 * CAT, GENPASS, DRYRUN, LOG, LOAD, SAVE, HELP. LOAD and SAVE read and write {@code aclfile} (see
 * {@link io.rookery.node.acl.AclFile}), and answer as Redis does when none is configured.
 */
final class AclCommands extends CommandGroup {
    private final SecureRandom random = new SecureRandom();

    private final ClientRegistry clients;

    AclCommands(CommandBasics basics, ClientRegistry clients) {
        super(basics);
        this.clients = clients;
    }

    private AclUsers acl() {
        return dispatcher.acl();
    }

    void register(CommandRegistry r) {
        r.register("acl|setuser", this::setUser)
                .register("acl|getuser", this::getUser)
                .register("acl|deluser", this::delUser)
                .register("acl|users", (c, a) -> {
                    c.reply().array(acl().users().size());
                    acl().users().forEach(u -> c.reply().bulk(u.name()));
                })
                .register("acl|list", (c, a) -> {
                    c.reply().array(acl().users().size());
                    acl().users().forEach(u -> c.reply().bulk("user " + u.name() + " " + acl().describe(u)));
                })
                .register("acl|whoami", (c, a) -> c.reply().bulk(c.user))
                .register("acl|cat", this::cat)
                .register("acl|genpass", this::genpass)
                .register("acl|dryrun", this::dryrun)
                .register("acl|log", this::log)
                .register("acl|load", this::load)
                .register("acl|save", (c, a) -> {
                    if (acl().aclFile() == null) {
                        noAclFile();
                    }
                    if (!acl().save()) {
                        throw new CommandError("ERR There was an error trying to save the ACLs. Please check the server "
                                + "logs for more information");
                    }
                    c.reply().ok();
                })
                .register("acl|help", (c, a) -> Help.reply(c.reply(), "ACL",
                        "CAT [<category>]",
                        "    List all commands that belong to <category>, or all command categories",
                        "    when no category is specified.",
                        "DELUSER <username> [<username> ...]",
                        "    Delete a list of users.",
                        "DRYRUN <username> <command> [<arg> ...]",
                        "    Returns whether the user can execute the given command without executing the command.",
                        "GETUSER <username>",
                        "    Get the user's details.",
                        "GENPASS [<bits>]",
                        "    Generate a secure 256-bit user password. The optional `bits` argument can",
                        "    be used to specify a different size.",
                        "LIST",
                        "    Show users details in config file format.",
                        "LOAD",
                        "    Reload users from the ACL file.",
                        "LOG [<count> | RESET]",
                        "    Show the ACL log entries.",
                        "SAVE",
                        "    Save the current config to the ACL file.",
                        "SETUSER <username> <attribute> [<attribute> ...]",
                        "    Create or modify a user with the specified attributes.",
                        "USERS",
                        "    List all the registered usernames.",
                        "WHOAMI",
                        "    Return the current connection username."));
    }

    private static void noAclFile() {
        throw new CommandError("ERR This Redis instance is not configured to use an ACL file. You may want to specify "
                + "users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis "
                + "configuration file set) in order to store users in the Redis configuration.");
    }

    /** Redis's addReplySubcommandSyntaxError. */
    private static CommandError subcommandSyntax(byte[][] a) {
        String sub = Args.text(a[1]);
        return new CommandError("ERR unknown subcommand or wrong number of arguments for '"
                + (sub.length() > 128 ? sub.substring(0, 128) : sub) + "'. Try ACL HELP.");
    }

    // ACL LOAD: the users of the aclfile replace the current ones, all or nothing
    private void load(Client c, byte[][] a) {
        if (acl().aclFile() == null) {
            noAclFile();
        }
        List<Client> killed = new ArrayList<>();
        String errors = acl().load(clients.all(), killed);
        if (errors != null) {
            throw new CommandError("ERR " + errors);
        }
        for (Client other : killed) {
            if (other == c) {
                other.closing = true; // after this reply, as Redis closes the caller of a replaced user
            } else {
                other.connection().close();
            }
        }
        c.reply().ok();
    }

    // ACL SETUSER username [rule ...]
    private void setUser(Client c, byte[][] a) {
        List<String> rules = new ArrayList<>();
        for (int i = 3; i < a.length; i++) {
            rules.add(new String(a[i], StandardCharsets.UTF_8));
        }
        List<Client> revoked = new ArrayList<>();
        String error = acl().setUser(Args.text(a[2]), rules, clients.all(), revoked);
        if (error != null) {
            throw new CommandError(error);
        }
        for (Client other : revoked) { // as Redis, subscribers that lost their channels are disconnected
            if (other == c) {
                other.closing = true;
            } else {
                other.connection().close();
            }
        }
        c.reply().ok();
    }

    // ACL GETUSER username: flags, passwords, commands, keys, channels, selectors
    private void getUser(Client c, byte[][] a) {
        AclUser u = acl().user(Args.text(a[2]));
        RespWriter r = c.reply();
        if (u == null) {
            r.nullBulk();
            return;
        }
        List<String[]> selectors = u.selectorFields(acl().table());
        r.map(6);
        r.bulk("flags");
        List<String> flags = u.flags();
        r.set(flags.size());
        flags.forEach(r::bulk);
        r.bulk("passwords");
        List<String> passwords = u.passwordHashes();
        r.array(passwords.size());
        passwords.forEach(r::bulk);
        selectorFields(r, selectors.get(0));
        r.bulk("selectors");
        r.array(selectors.size() - 1);
        for (int i = 1; i < selectors.size(); i++) {
            r.map(3);
            selectorFields(r, selectors.get(i));
        }
    }

    private static void selectorFields(RespWriter r, String[] fields) {
        r.bulk("commands");
        r.bulk(fields[0]);
        r.bulk("keys");
        r.bulk(fields[1]);
        r.bulk("channels");
        r.bulk(fields[2]);
    }

    // ACL DELUSER username [username ...]
    private void delUser(Client c, byte[][] a) {
        for (int i = 2; i < a.length; i++) {
            if (Args.text(a[i]).equals(AclUsers.DEFAULT)) {
                throw new CommandError("ERR The 'default' user cannot be removed");
            }
        }
        int deleted = 0;
        for (int i = 2; i < a.length; i++) {
            String name = Args.text(a[i]);
            if (acl().delete(name)) {
                deleted++;
                for (Client other : java.util.List.copyOf(clients.all())) { // as Redis, its connections go too
                    if (other.user.equals(name)) {
                        if (other == c) {
                            other.closing = true; // after this reply
                        } else {
                            other.connection().close();
                        }
                    }
                }
            }
        }
        c.reply().integer(deleted);
    }

    // ACL CAT [category]
    private void cat(Client c, byte[][] a) {
        if (a.length > 3) {
            throw subcommandSyntax(a);
        }
        if (a.length == 2) {
            c.reply().array(io.rookery.node.acl.AclCategories.NAMES.size());
            io.rookery.node.acl.AclCategories.NAMES.forEach(c.reply()::bulk);
            return;
        }
        String category = Args.text(a[2]).toLowerCase(Locale.ROOT);
        List<String> names = acl().category(category);
        if (names == null) {
            String given = Args.text(a[2]);
            throw new CommandError("ERR Unknown category '" + (given.length() > 128 ? given.substring(0, 128) : given) + "'");
        }
        c.reply().array(names.size());
        names.forEach(c.reply()::bulk);
    }

    // ACL GENPASS [bits]: random hex, 256 bits by default
    private void genpass(Client c, byte[][] a) {
        if (a.length > 3) {
            throw subcommandSyntax(a);
        }
        long bits = a.length == 3 ? Args.integer(a[2]) : 256;
        if (bits <= 0 || bits > 4096) {
            throw new CommandError("ERR ACL GENPASS argument must be the number of bits for the output password, "
                    + "a positive number up to 4096");
        }
        int chars = (int) ((bits + 3) / 4);
        StringBuilder sb = new StringBuilder(chars);
        for (int i = 0; i < chars; i++) {
            sb.append(Character.forDigit(random.nextInt(16), 16));
        }
        c.reply().bulk(sb.toString());
    }

    // ACL DRYRUN username command [arg ...]
    private void dryrun(Client c, byte[][] a) {
        String name = Args.text(a[2]);
        if (acl().user(name) == null) {
            throw new CommandError("ERR User '" + name + "' not found");
        }
        byte[][] cmd = java.util.Arrays.copyOfRange(a, 3, a.length);
        CommandSpec spec = dispatcher.registry().table().lookup(cmd[0]);
        if (spec != null && spec.isContainer()) {
            spec = cmd.length > 1 ? spec.subcommands().get(Args.text(cmd[1]).toLowerCase(Locale.ROOT)) : null;
        }
        if (spec == null) {
            throw new CommandError("ERR Command '" + Args.text(a[3]) + "' not found");
        }
        if (!spec.arityAccepts(cmd.length)) {
            throw new CommandError("ERR wrong number of arguments for '" + spec.name() + "' command");
        }
        AclUsers.Refusal refusal = acl().refusal(name, spec, cmd);
        if (refusal == null) {
            c.reply().ok();
            return;
        }
        String what = switch (refusal.denial()) {
            case COMMAND -> "This user has no permissions to run the '" + spec.name() + "' command";
            case KEY -> "This user has no permissions to access the '" + Args.text(cmd[refusal.position()]) + "' key";
            case CHANNEL -> "This user has no permissions to access the '" + Args.text(cmd[refusal.position()]) + "' channel";
        };
        c.reply().bulk(what);
    }

    // ACL LOG [count | RESET]: the newest refusals first, 10 unless a count is given
    private void log(Client c, byte[][] a) {
        if (a.length > 3) {
            throw subcommandSyntax(a);
        }
        long count = 10;
        if (a.length == 3) {
            if (Args.is(a[2], "RESET")) {
                acl().log().reset();
                c.reply().ok();
                return;
            }
            count = Math.max(0, Args.integer(a[2]));
        }
        List<AclLog.Entry> entries = acl().log().newest(count);
        RespWriter r = c.reply();
        long now = System.currentTimeMillis();
        r.array(entries.size());
        for (AclLog.Entry e : entries) {
            r.map(7);
            r.bulk("count");
            r.integer(e.count);
            r.bulk("reason");
            r.bulk(e.reason.text);
            r.bulk("context");
            r.bulk(e.context.text);
            r.bulk("object");
            r.bulk(e.object);
            r.bulk("username");
            r.bulk(e.username);
            r.bulk("age-seconds");
            r.dbl((now - e.createdMillis) / 1000.0);
            r.bulk("client-info");
            r.bulk(e.clientInfo);
        }
    }
}
