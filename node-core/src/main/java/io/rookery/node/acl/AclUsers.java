package io.rookery.node.acl;

import io.rookery.node.client.Client;
import io.rookery.protocol.command.CommandSpec;
import io.rookery.protocol.command.CommandTable;
import io.rookery.protocol.command.KeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The node's ACL users, the permission check of the gate and the ACL log (Redis 7.0's acl.c). The
 * {@code default} user starts as Redis's ({@code on nopass ~* &* +@all}); until ACL SETUSER changes its
 * passwords, {@code requirepass} is its password, as CONFIG SET requirepass sets it in Redis. Users are
 * listed in name order, as Redis's radix tree lists them.
 *
 * <p>A command runs when one of the user's selectors allows it whole: the command (or its first
 * argument), every key with the access its key spec asks for (read for "access", write for
 * insert/update/delete), every channel. When none does, the refusal reported (and logged) is the most
 * relevant one: a channel over a key over the command, the latest argument among equals.
 */
public final class AclUsers {
    public static final String DEFAULT = "default";

    /** Why the permission check refused a command. */
    public enum Denial { COMMAND, KEY, CHANNEL }

    /** A refusal and the position of the key or channel refused (0 for a command). */
    public record Refusal(Denial denial, int position) {
    }

    private static final Set<String> PASSWORD_RULES = Set.of("nopass", "resetpass", "reset");

    private final CommandTable table;
    private final Supplier<String> requirepass;
    private final Function<String, String> setting;
    private final Map<String, AclUser> users = new TreeMap<>();
    private final AclLog log;
    /** CLIENT LIST's line for a client, for the log entries. */
    private Function<Client, String> clientInfo = c -> "id=" + c.id();
    /** The default user's password is requirepass until ACL SETUSER default sets one. */
    private boolean defaultPasswordFromConfig = true;
    private String syncedRequirepass;

    public AclUsers(CommandTable table, Supplier<String> requirepass) {
        this(table, requirepass, name -> null);
    }

    /** @param setting the live value of a configuration parameter (acllog-max-len, acl-pubsub-default) */
    public AclUsers(CommandTable table, Supplier<String> requirepass, Function<String, String> setting) {
        this.table = table;
        this.requirepass = requirepass;
        this.setting = setting;
        this.log = new AclLog(() -> {
            String v = setting.apply("acllog-max-len");
            return v == null ? 128 : Long.parseLong(v);
        });
        users.put(DEFAULT, defaultUser());
    }

    private AclUser defaultUser() {
        AclUser d = new AclUser(DEFAULT, false);
        for (String rule : List.of("+@all", "~*", "&*", "on", "nopass")) {
            d.apply(rule, table, false);
        }
        return d;
    }

    /** Where log entries get their client-info field (CLIENT LIST's line). */
    public void clientInfo(Function<Client, String> describer) {
        this.clientInfo = describer;
    }

    public AclLog log() {
        return log;
    }

    public CommandTable table() {
        return table;
    }

    private boolean allChannelsByDefault() {
        return "allchannels".equals(setting.apply("acl-pubsub-default"));
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
     * True when a connection must authenticate before running commands: the default user is off or
     * has passwords (Redis's authRequired).
     */
    public boolean authRequired() {
        AclUser d = user(DEFAULT);
        return !d.nopass() || !d.enabled();
    }

    /**
     * ACL SETUSER: creates the user (off, no passwords, no keys, channels or commands) when it does
     * not exist, then applies {@code rules} in order, all or nothing. Returns null, or the error text.
     * {@code revoked} receives the clients to disconnect: Pub/Sub clients of the user whose channels
     * the new rules no longer allow.
     */
    public String setUser(String name, List<String> rules, Collection<Client> clients, List<Client> revoked) {
        if (name.indexOf(' ') >= 0 || name.indexOf('\0') >= 0) {
            return "ERR Usernames can't contain spaces or null characters";
        }
        syncDefault();
        List<String> merged;
        try {
            merged = mergeSelectors(rules);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        AclUser existing = users.get(name);
        boolean allByDefault = allChannelsByDefault();
        AclUser u = existing == null ? new AclUser(name, allByDefault) : existing.copy(name);
        boolean passwordChanged = false;
        for (String rule : merged) {
            try {
                u.apply(rule, table, allByDefault);
            } catch (AclRuleException e) {
                return "ERR Error in ACL SETUSER modifier '" + rule + "': " + e.getMessage();
            }
            char first = rule.isEmpty() ? 0 : rule.charAt(0);
            passwordChanged |= first == '>' || first == '<' || first == '#' || first == '!'
                    || PASSWORD_RULES.contains(rule.toLowerCase(Locale.ROOT));
        }
        if (existing != null) {
            PubsubRevocation.revoked(existing, u, clients, revoked);
        }
        users.put(name, u);
        if (name.equals(DEFAULT) && passwordChanged) {
            defaultPasswordFromConfig = false;
        }
        return null;
    }

    /**
     * Redis's ACLMergeSelectorArguments: a selector may span arguments ({@code "(+get" "~k*)"}); they
     * are joined with spaces. Throws with Redis's text when a parenthesis is left open.
     */
    static List<String> mergeSelectors(List<String> rules) {
        List<String> out = new ArrayList<>();
        StringBuilder open = null;
        String openedBy = null;
        for (String op : rules) {
            if (open == null && op.startsWith("(") && !op.endsWith(")")) {
                open = new StringBuilder(op);
                openedBy = op;
                continue;
            }
            if (open != null) {
                open.append(' ').append(op);
                if (op.endsWith(")")) {
                    out.add(open.toString());
                    open = null;
                }
                continue;
            }
            out.add(op);
        }
        if (open != null) {
            throw new IllegalArgumentException("ERR Unmatched parenthesis in acl selector starting at '" + openedBy + "'.");
        }
        return out;
    }

    // ---------------------------------------------------------------- the ACL file

    /** The {@code aclfile} path (relative to {@code dir}), or null when none is configured. */
    public java.nio.file.Path aclFile() {
        String file = setting.apply("aclfile");
        if (file == null || file.isEmpty()) {
            return null;
        }
        String dir = setting.apply("dir");
        return dir == null || dir.isEmpty() ? java.nio.file.Path.of(file) : java.nio.file.Path.of(dir).resolve(file);
    }

    /**
     * ACL LOAD: replaces every user with the file's, all or nothing. Returns null, or Redis's error
     * text. As in Redis, the connections of every user but default are closed ({@code killed}
     * receives them), since their users were replaced.
     */
    public String load(Collection<Client> clients, List<Client> killed) {
        java.nio.file.Path file = aclFile();
        Map<String, AclUser> loaded;
        try {
            loaded = AclFile.read(file, setting.apply("aclfile"), table, allChannelsByDefault());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (!loaded.containsKey(DEFAULT)) {
            loaded.put(DEFAULT, defaultUser());
        }
        syncDefault();
        users.clear();
        users.putAll(loaded);
        defaultPasswordFromConfig = false;
        for (Client c : clients) {
            if (!c.user.equals(DEFAULT)) {
                killed.add(c);
            }
        }
        return null;
    }

    /** ACL SAVE: writes every user as ACL LIST shows it; false when the file could not be written. */
    public boolean save() {
        List<String> lines = new ArrayList<>();
        users().forEach(u -> lines.add("user " + u.name() + " " + describe(u)));
        return AclFile.write(aclFile(), lines);
    }

    /** Loads the ACL file at start-up, when one is configured; throws with Redis's words when it is invalid. */
    public void loadAtStartup() {
        if (aclFile() == null) {
            return;
        }
        String errors = load(List.of(), new ArrayList<>());
        if (errors != null) {
            throw new IllegalStateException("Aborting Redis startup because of ACL errors: " + errors);
        }
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
        return u != null && u.enabled() && u.passwordMatches(password);
    }

    /** Logs a failed AUTH/HELLO AUTH of {@code client} as user {@code name} (object: the command as typed). */
    public void authFailed(Client client, String name, String command) {
        log.add(AclLog.Reason.AUTH, client.inMulti ? AclLog.Context.MULTI : AclLog.Context.TOPLEVEL, command, name,
                clientInfo.apply(client));
    }

    private void syncDefault() {
        String pass = requirepass.get();
        if (!defaultPasswordFromConfig || pass.equals(syncedRequirepass)) {
            return;
        }
        syncedRequirepass = pass;
        AclUser d = users.get(DEFAULT);
        d.passwords.clear();
        if (pass.isEmpty()) {
            d.flags |= AclUser.NOPASS;
        } else {
            d.flags &= ~AclUser.NOPASS;
            d.passwords.add(AclUser.sha256Hex(pass.getBytes(StandardCharsets.UTF_8)));
        }
    }

    // ---------------------------------------------------------------- permissions

    /** The gate's NOPERM error for {@code client} running {@code spec}, or null when it may; refusals are logged. */
    public String gateError(Client client, CommandSpec spec, byte[][] args) {
        Refusal r = refusal(client.user, spec, args);
        if (r == null) {
            return null;
        }
        logRefusal(client, client.inMulti ? AclLog.Context.MULTI : AclLog.Context.TOPLEVEL, spec, args, r);
        return switch (r.denial()) {
            case COMMAND -> "NOPERM this user has no permissions to run the '" + spec.name() + "' command";
            case KEY -> "NOPERM this user has no permissions to access one of the keys used as arguments";
            case CHANNEL -> "NOPERM this user has no permissions to access one of the channels used as arguments";
        };
    }

    /**
     * EXEC's re-check of a queued command (the user's permissions may have changed since it was
     * queued): null, or Redis's NOPERM error; refusals are logged in the multi context.
     */
    public String execError(Client client, CommandSpec spec, byte[][] args) {
        Refusal r = refusal(client.user, spec, args);
        if (r == null) {
            return null;
        }
        logRefusal(client, AclLog.Context.MULTI, spec, args, r);
        return "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. "
                + "This command is no longer allowed for the following reason: " + reason(r.denial());
    }

    /** The error a script's redis.call gets when its caller may not run the command, or null; refusals are logged. */
    public String scriptError(Client caller, CommandSpec spec, byte[][] args) {
        Refusal r = refusal(caller.user, spec, args);
        if (r == null) {
            return null;
        }
        logRefusal(caller, AclLog.Context.LUA, spec, args, r);
        return "ERR The user executing the script " + reason(r.denial());
    }

    private static String reason(Denial d) {
        return switch (d) {
            case COMMAND -> "can't run this command or subcommand";
            case KEY -> "can't access at least one of the keys mentioned in the command arguments";
            case CHANNEL -> "can't publish to the channel mentioned in the command";
        };
    }

    private void logRefusal(Client client, AclLog.Context context, CommandSpec spec, byte[][] args, Refusal r) {
        AclLog.Reason reason = switch (r.denial()) {
            case COMMAND -> AclLog.Reason.COMMAND;
            case KEY -> AclLog.Reason.KEY;
            case CHANNEL -> AclLog.Reason.CHANNEL;
        };
        String object = r.denial() == Denial.COMMAND ? spec.name() : new String(args[r.position()], StandardCharsets.UTF_8);
        log.add(reason, context, object, client.user, clientInfo.apply(client));
    }

    /** Redis's ACLCheckAllUserCommandPerm: null when user {@code name} may run {@code spec} on {@code args}. */
    public Denial check(String name, CommandSpec spec, byte[][] args) {
        Refusal r = refusal(name, spec, args);
        return r == null ? null : r.denial();
    }

    /** As {@link #check}, with the position of the refused key or channel. */
    public Refusal refusal(String name, CommandSpec spec, byte[][] args) {
        AclUser u = users.get(name);
        if (u == null) {
            return spec.has(io.rookery.protocol.command.CommandFlag.NO_AUTH) ? null : new Refusal(Denial.COMMAND, 0);
        }
        AclSelector root = u.selectors.get(0);
        if (root.allCommands && root.allKeys && root.allChannels) {
            return null; // the common case (the default user) costs no allocation
        }
        int relevant = AclSelector.DENIED_COMMAND;
        int lastIdx = 0;
        int[] pos = new int[1];
        List<KeySpec.KeyRef>[] cache = keyCache();
        AclSelector.KeyLookup keys = () -> {
            if (cache[0] == null) {
                cache[0] = CommandKeys.hasKeys(spec) ? CommandKeys.of(spec, args) : List.of();
            }
            return cache[0];
        };
        for (AclSelector s : u.selectors) {
            pos[0] = 0;
            int result = s.check(spec, args, keys, pos);
            if (result == AclSelector.OK) {
                return null;
            }
            if (result > relevant || (result == relevant && pos[0] > lastIdx)) {
                relevant = result;
                lastIdx = pos[0];
            }
        }
        Denial d = relevant == AclSelector.DENIED_KEY ? Denial.KEY
                : relevant == AclSelector.DENIED_CHANNEL ? Denial.CHANNEL : Denial.COMMAND;
        return new Refusal(d, lastIdx);
    }

    @SuppressWarnings("unchecked")
    private static List<KeySpec.KeyRef>[] keyCache() {
        return (List<KeySpec.KeyRef>[]) new List<?>[1];
    }

    /**
     * Redis's ACLUserCheckCmdWithUnrestrictedKeyAccess for SORT's BY and GET: one selector allows the
     * command and grants read access to every key.
     */
    public boolean unrestrictedRead(String name, CommandSpec spec, byte[][] args) {
        AclUser u = users.get(name);
        if (u == null) {
            return true;
        }
        for (AclSelector s : u.selectors) {
            List<KeySpec.KeyRef> keys = CommandKeys.hasKeys(spec) ? CommandKeys.of(spec, args) : List.of();
            if (s.check(spec, args, () -> keys, new int[1]) == AclSelector.OK && s.unrestricted(AclSelector.READ)) {
                return true;
            }
        }
        return false;
    }

    /** The commands of a category for ACL CAT, by full name; null for an unknown category. */
    public List<String> category(String category) {
        if (!AclCategories.NAMES.contains(category)) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (CommandSpec spec : table.commands()) {
            if (spec.acl().contains(category)) {
                out.add(spec.name());
            }
            spec.subcommands().values().stream().filter(s -> s.acl().contains(category)).forEach(s -> out.add(s.name()));
        }
        return out;
    }

    /** ACL LIST's line for a user, after "user name ". */
    public String describe(AclUser u) {
        return u.describeRules(table);
    }
}
