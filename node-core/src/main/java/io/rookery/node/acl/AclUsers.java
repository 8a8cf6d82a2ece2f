package io.rookery.node.acl;

import io.rookery.node.client.Client;
import io.rookery.protocol.command.CommandFlag;
import io.rookery.protocol.command.CommandSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The ACL users (Redis's acl.c, reduced): named users besides "default", created and changed by
 * ACL SETUSER rules, checked by AUTH/HELLO, and enforced at the gate for connections authenticated
 * as them. The "default" user stays the one {@code requirepass} describes (on, every permission).
 *
 * <p>Rules understood: {@code on off >pw <pw #hash !hash nopass resetpass allcommands +@all
 * nocommands -@all allkeys ~* resetkeys allchannels &* resetchannels reset}. Finer rules (single
 * commands, categories, key or channel patterns) are refused with an error rather than accepted
 * and not enforced. Command-thread only.
 */
public final class AclUsers {
    public static final String DEFAULT = "default";

    private final Map<String, AclUser> users = new TreeMap<>();
    private final Supplier<String> requirepass;

    public AclUsers(Supplier<String> requirepass) {
        this.requirepass = requirepass;
    }

    /**
     * ACL SETUSER: applies {@code rules} to a copy of the user (a new user starts off, without
     * passwords or permissions) and keeps it only when every rule applies. Returns Redis's error
     * text for the first bad rule, or null.
     */
    public String setUser(String name, List<String> rules) {
        if (name.equals(DEFAULT)) {
            return "ERR Rookery's default user follows requirepass: use CONFIG SET requirepass";
        }
        AclUser existing = users.get(name);
        AclUser u = existing == null ? new AclUser(name) : existing.copy();
        for (String rule : rules) {
            String error = apply(u, rule);
            if (error != null) {
                return "ERR Error in ACL SETUSER modifier '" + rule + "': " + error;
            }
        }
        users.put(name, u);
        return null;
    }

    private static String apply(AclUser u, String rule) {
        String r = rule.toLowerCase(java.util.Locale.ROOT);
        switch (r) {
            case "on" -> u.enabled = true;
            case "off" -> u.enabled = false;
            case "nopass" -> {
                u.nopass = true;
                u.passwordHashes.clear();
            }
            case "resetpass" -> {
                u.nopass = false;
                u.passwordHashes.clear();
            }
            case "allcommands", "+@all" -> u.allCommands = true;
            case "nocommands", "-@all" -> u.allCommands = false;
            case "allkeys", "~*" -> u.allKeys = true;
            case "resetkeys" -> u.allKeys = false;
            case "allchannels", "&*" -> u.allChannels = true;
            case "resetchannels" -> u.allChannels = false;
            case "reset" -> {
                u.enabled = false;
                u.nopass = false;
                u.passwordHashes.clear();
                u.allCommands = false;
                u.allKeys = false;
                u.allChannels = false;
            }
            default -> {
                return applyPassword(u, rule);
            }
        }
        return null;
    }

    private static String applyPassword(AclUser u, String rule) {
        char op = rule.isEmpty() ? ' ' : rule.charAt(0);
        String rest = rule.isEmpty() ? "" : rule.substring(1);
        switch (op) {
            case '>' -> {
                u.passwordHashes.add(sha256(rest));
                u.nopass = false;
            }
            case '<' -> {
                if (!u.passwordHashes.remove(sha256(rest))) {
                    return "no such password";
                }
            }
            case '#' -> {
                if (!rest.matches("[0-9a-fA-F]{64}")) {
                    return "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters";
                }
                u.passwordHashes.add(rest.toLowerCase(java.util.Locale.ROOT));
                u.nopass = false;
            }
            case '!' -> {
                if (!u.passwordHashes.remove(rest.toLowerCase(java.util.Locale.ROOT))) {
                    return "no such password";
                }
            }
            case '+', '-', '~', '%', '&' -> {
                return "Rookery supports only all-or-nothing permissions (+@all, -@all, ~*, &*)";
            }
            default -> {
                return "Syntax error";
            }
        }
        return null;
    }

    /** ACL DELUSER: how many of {@code names} existed; "default" cannot be deleted. */
    public List<String> delete(List<String> names) {
        List<String> deleted = new ArrayList<>();
        for (String n : names) {
            if (users.remove(n) != null) {
                deleted.add(n);
            }
        }
        return deleted;
    }

    /** The user names, "default" included, in order. */
    public List<String> names() {
        List<String> all = new ArrayList<>(users.keySet());
        all.add(DEFAULT);
        all.sort(null);
        return all;
    }

    /** ACL LIST lines, in name order. */
    public List<String> describeAll() {
        List<String> lines = new ArrayList<>();
        for (String n : names()) {
            lines.add(n.equals(DEFAULT) ? describeDefault() : users.get(n).describe());
        }
        return lines;
    }

    private String describeDefault() {
        String pass = requirepass.get();
        return "user default on " + (pass.isEmpty() ? "nopass" : "#" + sha256(pass)) + " ~* &* +@all";
    }

    public boolean exists(String name) {
        return name.equals(DEFAULT) || users.containsKey(name);
    }

    /** Whether {@code password} opens the enabled user {@code name} (not "default": that is requirepass). */
    public boolean authenticates(String name, byte[] password) {
        AclUser u = users.get(name);
        if (u == null || !u.enabled) {
            return false;
        }
        if (u.nopass) {
            return true;
        }
        return u.passwordHashes.contains(sha256(new String(password, StandardCharsets.UTF_8)));
    }

    /**
     * The gate's ACL check for a connection authenticated as a user other than "default": Redis's
     * NOPERM errors for a command, its keys or its channels the user may not use; null when allowed.
     * AUTH and HELLO stay open so a connection can switch users.
     */
    public String refusal(Client c, CommandSpec spec, byte[][] args) {
        if (c.user.equals(DEFAULT)) {
            return null;
        }
        AclUser u = users.get(c.user);
        String base = spec.name().contains("|") ? spec.name().substring(0, spec.name().indexOf('|')) : spec.name();
        if (base.equals("auth") || base.equals("hello")) {
            return null;
        }
        if (u == null || !u.allCommands) {
            return "NOPERM this user has no permissions to run the '" + spec.name() + "' command";
        }
        if (!u.allKeys && spec.keyPositions(args).length > 0) {
            return "NOPERM this user has no permissions to access one of the keys used as arguments";
        }
        if (!u.allChannels && spec.has(CommandFlag.PUBSUB) && !base.endsWith("unsubscribe") && !base.equals("pubsub")
                && args.length > 1) {
            return "NOPERM this user has no permissions to access one of the channels used as arguments";
        }
        return null;
    }

    static String sha256(String password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
