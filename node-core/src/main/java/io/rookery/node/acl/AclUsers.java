package io.rookery.node.acl;

import io.rookery.node.client.Client;
import io.rookery.node.keyspace.Glob;
import io.rookery.protocol.command.CommandFlag;
import io.rookery.protocol.command.CommandSpec;
import io.rookery.protocol.command.CommandTable;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The node's ACL users and the permission check of the gate (Redis 7.0's acl.c, without selectors,
 * ACL files or the ACL log). The {@code default} user starts as Redis's ({@code on nopass ~* &* +@all});
 * until ACL SETUSER changes its passwords, {@code requirepass} is its password, as CONFIG SET
 * requirepass sets it in Redis. Users are listed in name order, as Redis's radix tree lists them.
 *
 * <p>Keys are checked by the command's kind: a write command needs write access to each of its keys
 * ({@code ~p} or {@code %W~p}), a read-only command read access ({@code ~p} or {@code %R~p}), any
 * other (EVAL, FCALL) both; Redis refines this per key with its key specs. Channels are checked for PUBLISH, SPUBLISH, SUBSCRIBE,
 * SSUBSCRIBE (glob match) and PSUBSCRIBE (the pattern itself must be allowed).
 */
public final class AclUsers {
    public static final String DEFAULT = "default";

    /** Why the permission check refused a command. */
    public enum Denial { COMMAND, KEY, CHANNEL }

    private static final Set<String> PASSWORD_RULES = Set.of("nopass", "resetpass", "reset");

    private final CommandTable table;
    private final Supplier<String> requirepass;
    private final Map<String, AclUser> users = new TreeMap<>();
    /** The default user's password is requirepass until ACL SETUSER default sets one. */
    private boolean defaultPasswordFromConfig = true;
    private String syncedRequirepass;

    public AclUsers(CommandTable table, Supplier<String> requirepass) {
        this.table = table;
        this.requirepass = requirepass;
        AclUser d = new AclUser(DEFAULT);
        for (String rule : List.of("on", "nopass", "allkeys", "allchannels", "allcommands")) {
            d.apply(rule, table);
        }
        users.put(DEFAULT, d);
    }

    // ---------------------------------------------------------------- users

    /** The user named {@code name}, or null. */
    public AclUser user(String name) {
        syncDefault();
        return users.get(name);
    }

    public Collection<AclUser> users() {
        syncDefault();
        return users.values();
    }

    /**
     * ACL SETUSER: creates the user (off, no passwords, no keys, channels or commands) when it does
     * not exist, then applies {@code rules} in order, all or nothing. Returns null, or the error text.
     */
    public String setUser(String name, List<String> rules) {
        if (name.indexOf(' ') >= 0 || name.indexOf('\0') >= 0) {
            return "ERR Usernames can't contain spaces or null characters";
        }
        syncDefault();
        AclUser existing = users.get(name);
        AclUser u = existing == null ? new AclUser(name) : existing.copy();
        boolean passwordChanged = false;
        for (String rule : rules) {
            if (rule.indexOf(' ') >= 0 || rule.startsWith("(")) {
                return "ERR Error in ACL SETUSER modifier '" + rule + "': Syntax error";
            }
            try {
                u.apply(rule, table);
            } catch (IllegalArgumentException e) {
                return "ERR Error in ACL SETUSER modifier '" + rule + "': " + e.getMessage();
            }
            char first = rule.isEmpty() ? 0 : rule.charAt(0);
            passwordChanged |= first == '>' || first == '<' || first == '#' || first == '!'
                    || PASSWORD_RULES.contains(rule.toLowerCase(java.util.Locale.ROOT));
        }
        users.put(name, u);
        if (name.equals(DEFAULT) && passwordChanged) {
            defaultPasswordFromConfig = false;
        }
        return null;
    }

    /** ACL DELUSER of one user; false when there was none. The default user cannot be removed. */
    public boolean delete(String name) {
        if (name.equals(DEFAULT)) {
            throw new IllegalArgumentException("The 'default' user cannot be removed");
        }
        return users.remove(name) != null;
    }

    /** AUTH / HELLO AUTH: true when the user exists, is on and {@code password} is one of its passwords. */
    public boolean authenticate(String name, byte[] password) {
        AclUser u = user(name);
        return u != null && u.enabled && u.passwordMatches(password);
    }

    private void syncDefault() {
        String pass = requirepass.get();
        if (!defaultPasswordFromConfig || pass.equals(syncedRequirepass)) {
            return;
        }
        syncedRequirepass = pass;
        AclUser d = users.get(DEFAULT);
        d.passwords.clear();
        d.nopass = pass.isEmpty();
        if (!pass.isEmpty()) {
            d.passwords.add(AclUser.sha256Hex(pass.getBytes(StandardCharsets.UTF_8)));
        }
    }

    // ---------------------------------------------------------------- permissions

    /** The gate's NOPERM error for {@code client} running {@code spec}, or null when it may. */
    public String gateError(Client client, CommandSpec spec, byte[][] args) {
        Denial d = check(client.user, spec, args);
        if (d == null) {
            return null;
        }
        return switch (d) {
            case COMMAND -> "NOPERM this user has no permissions to run the '" + spec.name() + "' command";
            case KEY -> "NOPERM this user has no permissions to access one of the keys used as arguments";
            case CHANNEL -> "NOPERM this user has no permissions to access one of the channels used as arguments";
        };
    }

    /** The error a script's redis.call gets when its caller may not run the command, or null. */
    public String scriptError(Client caller, CommandSpec spec, byte[][] args) {
        Denial d = check(caller.user, spec, args);
        if (d == null) {
            return null;
        }
        return "ERR The user executing the script " + switch (d) {
            case COMMAND -> "can't run this command or subcommand";
            case KEY -> "can't access at least one of the keys mentioned in the command arguments";
            case CHANNEL -> "can't publish to the channel mentioned in the command";
        };
    }

    /** Redis's ACLCheckAllUserCommandPerm: null when user {@code name} may run {@code spec} on {@code args}. */
    public Denial check(String name, CommandSpec spec, byte[][] args) {
        AclUser u = users.get(name);
        if (u == null) {
            return spec.has(CommandFlag.NO_AUTH) ? null : Denial.COMMAND;
        }
        if (u.allCommands && u.allKeys && u.allChannels) {
            return null;
        }
        if (!u.allCommands && !spec.has(CommandFlag.NO_AUTH) && !u.commands.contains(spec.name())) {
            return Denial.COMMAND;
        }
        if (!u.allKeys && deniedKey(u, spec, args) >= 0) {
            return Denial.KEY;
        }
        if (!u.allChannels && !channelsAllowed(u, spec.name(), args)) {
            return Denial.CHANNEL;
        }
        return null;
    }

    /** The position of the first key of {@code args} user {@code name} may not access, or -1. */
    public int deniedKey(String name, CommandSpec spec, byte[][] args) {
        AclUser u = users.get(name);
        return u == null || u.allKeys ? -1 : deniedKey(u, spec, args);
    }

    private static int deniedKey(AclUser u, CommandSpec spec, byte[][] args) {
        boolean read = !spec.isWrite();
        boolean write = spec.isWrite() || !spec.has(CommandFlag.READONLY);
        for (int i : spec.keyPositions(args)) {
            if (i < args.length && !keyAllowed(u, args[i], read, write)) {
                return i;
            }
        }
        return -1;
    }

    /** True when one pattern matching {@code key} grants all the access asked (Redis's ACLSelectorCheckKey). */
    private static boolean keyAllowed(AclUser u, byte[] key, boolean read, boolean write) {
        for (AclUser.KeyPattern p : u.keys) {
            if ((!read || p.read()) && (!write || p.write())
                    && Glob.matches(p.pattern().getBytes(StandardCharsets.UTF_8), key, false)) {
                return true;
            }
        }
        return false;
    }

    private static boolean channelsAllowed(AclUser u, String command, byte[][] args) {
        switch (command) {
            case "publish", "spublish" -> {
                return args.length < 2 || channelAllowed(u, args[1], false);
            }
            case "subscribe", "ssubscribe", "psubscribe" -> {
                boolean pattern = command.equals("psubscribe");
                for (int i = 1; i < args.length; i++) {
                    if (!channelAllowed(u, args[i], pattern)) {
                        return false;
                    }
                }
                return true;
            }
            default -> {
                return true;
            }
        }
    }

    private static boolean channelAllowed(AclUser u, byte[] channel, boolean isPattern) {
        for (String p : u.channels) {
            byte[] pattern = p.getBytes(StandardCharsets.UTF_8);
            if (isPattern ? java.util.Arrays.equals(pattern, channel) : Glob.matches(pattern, channel, false)) {
                return true;
            }
        }
        return false;
    }

    /** The commands of a category for ACL CAT, by full name; null for an unknown category. */
    public List<String> category(String category) {
        if (!AclUser.CATEGORIES.contains(category)) {
            return null;
        }
        List<String> out = new java.util.ArrayList<>();
        for (CommandSpec spec : table.commands()) {
            if (spec.acl().contains(category)) {
                out.add(spec.name());
            }
            spec.subcommands().values().stream().filter(s -> s.acl().contains(category)).forEach(s -> out.add(s.name()));
        }
        return out;
    }
}
