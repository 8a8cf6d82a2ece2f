package io.rookery.node.acl;

import io.rookery.protocol.command.CommandTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One ACL user (Redis 7.0's {@code user}): its flags (on/off, nopass, sanitize-payload), passwords
 * kept as SHA-256 hex, and its selectors, the root one first. {@link #apply} reads one ACL SETUSER rule
 * ({@code on}, {@code >pass}, {@code +@read}, {@code ~app:*}, {@code %R~logs:*}, {@code &news.*},
 * {@code (+get ~k*)}, {@code clearselectors}, {@code reset} ...) with Redis's semantics and error texts.
 */
public final class AclUser {
    /** The user flags, in the order Redis describes them (ACLUserFlags). */
    static final int ENABLED = 1;
    static final int DISABLED = 2;
    static final int NOPASS = 4;
    static final int SKIP_SANITIZE = 8;
    static final int SANITIZE = 16;
    private static final String[] FLAG_NAMES = {"on", "off", "nopass", "skip-sanitize-payload", "sanitize-payload"};

    final String name;
    int flags = DISABLED;
    final List<String> passwords = new ArrayList<>();
    /** The root selector first, then the added ones in order. */
    final List<AclSelector> selectors = new ArrayList<>();

    AclUser(String name, boolean allChannelsByDefault) {
        this.name = name;
        AclSelector root = new AclSelector();
        root.allChannels = allChannelsByDefault;
        selectors.add(root);
    }

    public String name() {
        return name;
    }

    public boolean enabled() {
        return (flags & ENABLED) != 0;
    }

    boolean nopass() {
        return (flags & NOPASS) != 0;
    }

    AclSelector root() {
        return selectors.get(0);
    }

    /** A copy to apply rules to, so that a failing ACL SETUSER leaves the user untouched. */
    AclUser copy(String newName) {
        AclUser u = new AclUser(newName, false);
        u.flags = flags;
        u.passwords.addAll(passwords);
        u.selectors.clear();
        selectors.forEach(s -> u.selectors.add(s.copy()));
        return u;
    }

    /** True when {@code password} is one of the user's (or the user has nopass). */
    boolean passwordMatches(byte[] password) {
        if (nopass()) {
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

    // ---------------------------------------------------------------- rules (ACLSetUser)

    /** Applies one rule; throws {@link AclRuleException} with Redis's reason when it is invalid. */
    void apply(String op, CommandTable table, boolean allChannelsByDefault) {
        if (op.isEmpty()) {
            return;
        }
        switch (op.toLowerCase(Locale.ROOT)) {
            case "on" -> flags = (flags | ENABLED) & ~DISABLED;
            case "off" -> flags = (flags | DISABLED) & ~ENABLED;
            case "skip-sanitize-payload" -> flags = (flags | SKIP_SANITIZE) & ~SANITIZE;
            case "sanitize-payload" -> flags = (flags | SANITIZE) & ~SKIP_SANITIZE;
            case "nopass" -> {
                flags |= NOPASS;
                passwords.clear();
            }
            case "resetpass" -> {
                flags &= ~NOPASS;
                passwords.clear();
            }
            case "clearselectors" -> selectors.subList(1, selectors.size()).clear();
            case "reset" -> {
                apply("resetpass", table, allChannelsByDefault);
                apply("resetkeys", table, allChannelsByDefault);
                apply("resetchannels", table, allChannelsByDefault);
                if (allChannelsByDefault) {
                    apply("allchannels", table, allChannelsByDefault);
                }
                apply("off", table, allChannelsByDefault);
                apply("sanitize-payload", table, allChannelsByDefault);
                apply("clearselectors", table, allChannelsByDefault);
                apply("-@all", table, allChannelsByDefault);
            }
            default -> applyOther(op, table, allChannelsByDefault);
        }
    }

    private void applyOther(String op, CommandTable table, boolean allChannelsByDefault) {
        char first = op.charAt(0);
        if (first == '>' || first == '#') {
            String hash = first == '>' ? sha256Hex(op.substring(1).getBytes(StandardCharsets.UTF_8)) : validHash(op.substring(1));
            if (!passwords.contains(hash)) {
                passwords.add(hash);
            }
            flags &= ~NOPASS;
        } else if (first == '<' || first == '!') {
            String hash = first == '<' ? sha256Hex(op.substring(1).getBytes(StandardCharsets.UTF_8)) : validHash(op.substring(1));
            if (!passwords.remove(hash)) {
                throw new AclRuleException(AclRuleException.NO_SUCH_PASSWORD);
            }
        } else if (first == '(' && op.charAt(op.length() - 1) == ')') {
            AclSelector s = new AclSelector();
            s.allChannels = allChannelsByDefault;
            for (String inner : op.substring(1, op.length() - 1).trim().split("\\s+")) {
                if (!inner.isEmpty()) {
                    s.apply(inner, table);
                }
            }
            selectors.add(s);
        } else {
            root().apply(op, table);
        }
    }

    private static String validHash(String hash) {
        if (!hash.matches("[0-9a-f]{64}")) {
            throw new AclRuleException(AclRuleException.BAD_HASH);
        }
        return hash;
    }

    // ---------------------------------------------------------------- description

    /** Redis's ACLDescribeUser: the rules that rebuild this user, as ACL LIST prints them after "user name ". */
    public String describeRules(CommandTable table) {
        StringBuilder sb = new StringBuilder();
        flags().forEach(f -> sb.append(f).append(' '));
        passwords.forEach(p -> sb.append('#').append(p).append(' '));
        sb.append(root().describe(table));
        for (int i = 1; i < selectors.size(); i++) {
            sb.append(" (").append(selectors.get(i).describe(table)).append(')');
        }
        return sb.toString();
    }

    /** ACL GETUSER's flags, in Redis's order. */
    public List<String> flags() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < FLAG_NAMES.length; i++) {
            if ((flags & (1 << i)) != 0) {
                out.add(FLAG_NAMES[i]);
            }
        }
        return out;
    }

    /** The SHA-256 hex of each password. */
    public List<String> passwordHashes() {
        return List.copyOf(passwords);
    }

    /** The selectors' descriptions for ACL GETUSER: commands, keys, channels; the root one first. */
    public List<String[]> selectorFields(CommandTable table) {
        List<String[]> out = new ArrayList<>();
        for (AclSelector s : selectors) {
            out.add(new String[] {CommandRulesDescription.describe(s, table), s.keysText(), s.channelsText()});
        }
        return out;
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
