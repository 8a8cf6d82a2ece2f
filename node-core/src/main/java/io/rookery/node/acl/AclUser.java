package io.rookery.node.acl;

import io.rookery.protocol.command.CommandSpec;
import io.rookery.protocol.command.CommandTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One ACL user (Redis 7.0's {@code user} with its root selector): on/off, passwords kept as SHA-256
 * hex, the commands it may run (by full name, "get" or "config|get"), the key patterns with their
 * read/write permission and the channel patterns. {@link #apply} reads one ACL SETUSER rule
 * ({@code on}, {@code >pass}, {@code +@read}, {@code ~app:*}, {@code %R~logs:*}, {@code &news.*},
 * {@code reset} ...) with Redis's semantics and error texts; selectors ({@code (...)}) are not
 * supported and refused as a syntax error.
 */
public final class AclUser {
    /** Redis's categories, in ACL CAT's order. */
    public static final List<String> CATEGORIES = List.of("keyspace", "read", "write", "set", "sortedset", "list",
            "hash", "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking",
            "dangerous", "connection", "transaction", "scripting");

    final String name;
    boolean enabled;
    boolean nopass;
    final Set<String> passwords = new LinkedHashSet<>();
    /** The commands allowed by name; {@link #allCommands} also allows any command added later. */
    final Set<String> commands = new HashSet<>();
    boolean allCommands;
    /** The command rules as ACL LIST describes them, starting with +@all or -@all. */
    final List<String> commandRules = new ArrayList<>(List.of("-@all"));
    final List<KeyPattern> keys = new ArrayList<>();
    boolean allKeys;
    final List<String> channels = new ArrayList<>();
    boolean allChannels;

    /** A key pattern and what it grants ({@code ~p} both, {@code %R~p} reads, {@code %W~p} writes). */
    record KeyPattern(String pattern, boolean read, boolean write) {
        String describe() {
            return (read && write ? "~" : read ? "%R~" : "%W~") + pattern;
        }
    }

    AclUser(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public boolean enabled() {
        return enabled;
    }

    /** A copy to apply rules to, so that a failing ACL SETUSER leaves the user untouched. */
    AclUser copy() {
        AclUser u = new AclUser(name);
        u.enabled = enabled;
        u.nopass = nopass;
        u.passwords.addAll(passwords);
        u.commands.addAll(commands);
        u.allCommands = allCommands;
        u.commandRules.clear();
        u.commandRules.addAll(commandRules);
        u.keys.addAll(keys);
        u.allKeys = allKeys;
        u.channels.addAll(channels);
        u.allChannels = allChannels;
        return u;
    }

    /** True when {@code password} is one of the user's (or the user has nopass). */
    boolean passwordMatches(byte[] password) {
        if (nopass) {
            return true;
        }
        byte[] hash = sha256Hex(password).getBytes(StandardCharsets.US_ASCII);
        for (String p : passwords) {
            if (MessageDigest.isEqual(p.getBytes(StandardCharsets.US_ASCII), hash)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- rules

    /** Applies one rule; throws {@link IllegalArgumentException} with Redis's reason when it is invalid. */
    void apply(String rule, CommandTable table) {
        String lower = rule.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "on" -> enabled = true;
            case "off" -> enabled = false;
            case "skip-sanitize-payload", "sanitize-payload" -> { }
            case "nopass" -> {
                nopass = true;
                passwords.clear();
            }
            case "resetpass" -> {
                nopass = false;
                passwords.clear();
            }
            case "allkeys" -> {
                keys.clear();
                keys.add(new KeyPattern("*", true, true));
                allKeys = true;
            }
            case "resetkeys" -> {
                keys.clear();
                allKeys = false;
            }
            case "allchannels" -> {
                channels.clear();
                channels.add("*");
                allChannels = true;
            }
            case "resetchannels" -> {
                channels.clear();
                allChannels = false;
            }
            case "allcommands" -> apply("+@all", table);
            case "nocommands" -> apply("-@all", table);
            case "reset" -> {
                apply("resetpass", table);
                apply("resetkeys", table);
                apply("resetchannels", table);
                apply("off", table);
                apply("-@all", table);
            }
            default -> applyPatterned(rule, lower, table);
        }
    }

    private void applyPatterned(String rule, String lower, CommandTable table) {
        char first = rule.isEmpty() ? 0 : rule.charAt(0);
        if (first == '>') {
            passwords.add(sha256Hex(rule.substring(1).getBytes(StandardCharsets.UTF_8)));
            nopass = false;
        } else if (first == '#') {
            String hash = rule.substring(1);
            if (!hash.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("The password hash must be exactly 64 characters and contain "
                        + "only lowercase hexadecimal characters");
            }
            passwords.add(hash);
            nopass = false;
        } else if (first == '<') {
            if (!passwords.remove(sha256Hex(rule.substring(1).getBytes(StandardCharsets.UTF_8)))) {
                throw new IllegalArgumentException("The password you are trying to remove from the user does not exist");
            }
        } else if (first == '!') {
            String hash = rule.substring(1);
            if (!hash.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("The password hash must be exactly 64 characters and contain "
                        + "only lowercase hexadecimal characters");
            }
            if (!passwords.remove(hash)) {
                throw new IllegalArgumentException("The password you are trying to remove from the user does not exist");
            }
        } else if (first == '~' || first == '%') {
            keyRule(rule);
        } else if (first == '&') {
            if (allChannels) {
                throw new IllegalArgumentException("Adding a pattern after the * pattern (or the 'allchannels' flag) is "
                        + "not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels");
            }
            String pattern = rule.substring(1);
            if (pattern.equals("*")) {
                channels.clear();
                allChannels = true;
            }
            if (!channels.contains(pattern)) {
                channels.add(pattern);
            }
        } else if (first == '+' || first == '-') {
            commandRule(first == '+', lower.substring(1), table);
        } else {
            throw new IllegalArgumentException("Syntax error");
        }
    }

    private void keyRule(String rule) {
        boolean read = true;
        boolean write = true;
        String pattern;
        if (rule.charAt(0) == '%') {
            int tilde = rule.indexOf('~');
            if (tilde < 2) {
                throw new IllegalArgumentException("Syntax error");
            }
            read = false;
            write = false;
            for (char c : rule.substring(1, tilde).toCharArray()) {
                switch (Character.toUpperCase(c)) {
                    case 'R' -> read = true;
                    case 'W' -> write = true;
                    default -> throw new IllegalArgumentException("Syntax error");
                }
            }
            pattern = rule.substring(tilde + 1);
        } else {
            pattern = rule.substring(1);
        }
        if (allKeys) {
            throw new IllegalArgumentException("Adding a pattern after the * pattern (or the 'allkeys' flag) is not "
                    + "valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns");
        }
        if (pattern.equals("*") && read && write) {
            keys.clear();
            allKeys = true;
        }
        KeyPattern p = new KeyPattern(pattern, read, write);
        if (!keys.contains(p)) {
            keys.add(p);
        }
    }

    private void commandRule(boolean allow, String what, CommandTable table) {
        if (what.startsWith("@")) {
            String category = what.substring(1);
            if (category.equals("all")) {
                commands.clear();
                if (allow) {
                    table.commands().forEach(spec -> leaves(spec, commands));
                }
                allCommands = allow;
                commandRules.clear();
                commandRules.add(allow ? "+@all" : "-@all");
                return;
            }
            if (!CATEGORIES.contains(category)) {
                throw new IllegalArgumentException("Unknown command or category name in ACL");
            }
            for (CommandSpec spec : table.commands()) {
                Set<String> names = new HashSet<>();
                leavesIn(spec, category, names);
                if (allow) {
                    commands.addAll(names);
                } else {
                    commands.removeAll(names);
                }
            }
        } else {
            int bar = what.indexOf('|');
            CommandSpec spec = table.lookup(bar < 0 ? what : what.substring(0, bar));
            if (spec == null) {
                throw new IllegalArgumentException("Unknown command or category name in ACL");
            }
            Set<String> names = new HashSet<>();
            if (bar >= 0) {
                CommandSpec sub = spec.subcommands().get(what.substring(bar + 1));
                if (sub == null) {
                    if (!spec.isContainer()) {
                        throw new IllegalArgumentException("Allowing first-arg of a subcommand is not supported");
                    }
                    throw new IllegalArgumentException("Unknown command or category name in ACL");
                }
                names.add(sub.name());
            } else {
                leaves(spec, names);
            }
            if (allow) {
                commands.addAll(names);
            } else {
                commands.removeAll(names);
            }
        }
        if (!allow) {
            allCommands = false;
        }
        commandRules.add((allow ? "+" : "-") + what);
    }

    /** The runnable names of {@code spec}: itself, or every subcommand of a container. */
    private static void leaves(CommandSpec spec, Set<String> out) {
        if (spec.isContainer()) {
            spec.subcommands().values().forEach(s -> out.add(s.name()));
        } else {
            out.add(spec.name());
        }
    }

    private static void leavesIn(CommandSpec spec, String category, Set<String> out) {
        if (spec.isContainer()) {
            spec.subcommands().values().forEach(s -> leavesIn(s, category, out));
        } else if (spec.acl().contains(category)) {
            out.add(spec.name());
        }
    }

    // ---------------------------------------------------------------- description

    /** The rules that rebuild this user, as ACL LIST prints them after "user name ". */
    public String describeRules() {
        StringBuilder sb = new StringBuilder(enabled ? "on" : "off");
        if (nopass) {
            sb.append(" nopass");
        }
        passwords.forEach(p -> sb.append(" #").append(p));
        keys.forEach(k -> sb.append(' ').append(k.describe()));
        if (allChannels) {
            sb.append(" &*");
        } else {
            sb.append(" resetchannels");
            channels.forEach(c -> sb.append(" &").append(c));
        }
        sb.append(' ').append(commandRulesText());
        return sb.toString();
    }

    /** ACL GETUSER's flags: on or off, then nopass when set. */
    public List<String> flags() {
        List<String> out = new ArrayList<>();
        out.add(enabled ? "on" : "off");
        if (nopass) {
            out.add("nopass");
        }
        return out;
    }

    /** The SHA-256 hex of each password. */
    public List<String> passwordHashes() {
        return List.copyOf(passwords);
    }

    public String commandRulesText() {
        return String.join(" ", commandRules);
    }

    public String keysText() {
        return String.join(" ", keys.stream().map(KeyPattern::describe).toList());
    }

    public String channelsText() {
        return String.join(" ", channels.stream().map(c -> "&" + c).toList());
    }

    static String sha256Hex(byte[] password) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(password);
            StringBuilder sb = new StringBuilder(64);
            for (byte b : d) {
                sb.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
