package io.rookery.node.acl;

import io.rookery.node.keyspace.Glob;
import io.rookery.protocol.command.CommandFlag;
import io.rookery.protocol.command.CommandSpec;
import io.rookery.protocol.command.CommandTable;
import io.rookery.protocol.command.KeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One ACL selector (Redis 7.0's {@code aclSelector}): the commands it allows, the keys it may touch
 * with read and/or write access, and the Pub/Sub channels it may use. A user has a root selector (the
 * rules written outside parentheses) and any number of added ones ({@code (+get ~k*)}); a command runs
 * when one selector allows it whole.
 *
 * <p>Commands are kept as Redis keeps its command bitmap: one entry per command, container and
 * subcommand by full name ("client", "client|id"), plus the "future commands" bit that only
 * {@code +@all}/{@code allcommands} set. {@code +cmd|arg} on a command without subcommands allows that
 * first argument only (Redis's deprecated first-arg rules, {@code +select|0}).
 */
public final class AclSelector {
    /** Reasons a selector refuses a command, in Redis's order of relevance (ACL_DENIED_*). */
    public static final int OK = 0;
    public static final int DENIED_COMMAND = 1;
    public static final int DENIED_KEY = 2;
    public static final int DENIED_CHANNEL = 4;

    static final int READ = 1;
    static final int WRITE = 2;

    final Set<String> allowed = new HashSet<>();
    boolean future;
    boolean allCommands;
    final Map<String, List<String>> firstArgs = new LinkedHashMap<>();
    final List<KeyPattern> keys = new ArrayList<>();
    boolean allKeys;
    final List<String> channels = new ArrayList<>();
    boolean allChannels;

    /** A key pattern and what it grants ({@code ~p} both, {@code %R~p} reads, {@code %W~p} writes). */
    static final class KeyPattern {
        final String pattern;
        int flags;

        KeyPattern(String pattern, int flags) {
            this.pattern = pattern;
            this.flags = flags;
        }

        String describe() {
            return (flags == (READ | WRITE) ? "~" : flags == READ ? "%R~" : "%W~") + pattern;
        }
    }

    AclSelector copy() {
        AclSelector s = new AclSelector();
        s.allowed.addAll(allowed);
        s.future = future;
        s.allCommands = allCommands;
        firstArgs.forEach((k, v) -> s.firstArgs.put(k, new ArrayList<>(v)));
        keys.forEach(k -> s.keys.add(new KeyPattern(k.pattern, k.flags)));
        s.allKeys = allKeys;
        s.channels.addAll(channels);
        s.allChannels = allChannels;
        return s;
    }

    // ---------------------------------------------------------------- rules (ACLSetSelector)

    /** Applies one selector rule; throws {@link AclRuleException} with Redis's reason when it is invalid. */
    void apply(String op, CommandTable table) {
        String lower = op.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "allkeys", "~*" -> {
                allKeys = true;
                keys.clear();
                return;
            }
            case "resetkeys" -> {
                allKeys = false;
                keys.clear();
                return;
            }
            case "allchannels", "&*" -> {
                allChannels = true;
                channels.clear();
                return;
            }
            case "resetchannels" -> {
                allChannels = false;
                channels.clear();
                return;
            }
            case "allcommands", "+@all" -> {
                table.commands().forEach(spec -> everyName(spec, allowed));
                future = true;
                allCommands = true;
                firstArgs.clear();
                return;
            }
            case "nocommands", "-@all" -> {
                allowed.clear();
                future = false;
                allCommands = false;
                firstArgs.clear();
                return;
            }
            default -> { }
        }
        char first = op.isEmpty() ? 0 : op.charAt(0);
        if (first == '~' || first == '%') {
            keyRule(op);
        } else if (first == '&') {
            if (allChannels) {
                throw new AclRuleException(AclRuleException.ALL_CHANNELS);
            }
            String pattern = op.substring(1);
            if (hasSpaces(pattern)) {
                throw new AclRuleException(AclRuleException.SYNTAX);
            }
            if (!channels.contains(pattern)) {
                channels.add(pattern);
            }
        } else if (first == '+' && !op.startsWith("+@")) {
            allowCommand(op.substring(1), table);
        } else if (first == '-' && !op.startsWith("-@")) {
            CommandSpec spec = lookup(op.substring(1), table);
            if (spec == null) {
                throw new AclRuleException(AclRuleException.UNKNOWN_COMMAND);
            }
            change(spec, false);
        } else if (first == '+' || first == '-') {
            String category = lower.substring(2);
            if (!AclCategories.NAMES.contains(category)) {
                throw new AclRuleException(AclRuleException.UNKNOWN_COMMAND);
            }
            setCategory(table.commands(), category, first == '+');
        } else {
            throw new AclRuleException(AclRuleException.SYNTAX);
        }
    }

    private void keyRule(String op) {
        if (allKeys) {
            throw new AclRuleException(AclRuleException.ALL_KEYS);
        }
        int flags = 0;
        int offset = 1;
        if (op.charAt(0) == '%') {
            boolean closed = false;
            for (; offset < op.length(); offset++) {
                char c = Character.toUpperCase(op.charAt(offset));
                if (c == 'R' && (flags & READ) == 0) {
                    flags |= READ;
                } else if (c == 'W' && (flags & WRITE) == 0) {
                    flags |= WRITE;
                } else if (op.charAt(offset) == '~') {
                    offset++;
                    closed = true;
                    break;
                } else {
                    throw new AclRuleException(AclRuleException.SYNTAX);
                }
            }
            if (!closed) {
                offset = op.length();
            }
        } else {
            flags = READ | WRITE;
        }
        String pattern = op.substring(offset);
        if (hasSpaces(pattern)) {
            throw new AclRuleException(AclRuleException.SYNTAX);
        }
        for (KeyPattern k : keys) {
            if (k.pattern.equals(pattern)) {
                k.flags |= flags;
                return;
            }
        }
        keys.add(new KeyPattern(pattern, flags));
    }

    private void allowCommand(String what, CommandTable table) {
        int bar = what.lastIndexOf('|');
        if (bar < 0) {
            CommandSpec spec = lookup(what, table);
            if (spec == null) {
                throw new AclRuleException(AclRuleException.UNKNOWN_COMMAND);
            }
            change(spec, true);
            return;
        }
        CommandSpec parent = lookup(what.substring(0, bar), table);
        if (parent == null) {
            throw new AclRuleException(AclRuleException.UNKNOWN_COMMAND);
        }
        if (parent.name().indexOf('|') >= 0) {
            throw new AclRuleException(AclRuleException.FIRST_ARG_OF_SUBCOMMAND);
        }
        String sub = what.substring(bar + 1);
        if (sub.isEmpty()) {
            throw new AclRuleException(AclRuleException.SYNTAX);
        }
        if (parent.isContainer()) {
            CommandSpec spec = lookup(what, table);
            if (spec == null) {
                throw new AclRuleException(AclRuleException.UNKNOWN_COMMAND);
            }
            change(spec, true);
        } else {
            List<String> args = firstArgs.computeIfAbsent(parent.name(), k -> new ArrayList<>());
            if (args.stream().noneMatch(sub::equalsIgnoreCase)) {
                args.add(sub);
            }
        }
    }

    /** Redis's ACLLookupCommand: "get", "config|get"; null when there is no such command. */
    static CommandSpec lookup(String name, CommandTable table) {
        String lower = name.toLowerCase(Locale.ROOT);
        int bar = lower.indexOf('|');
        if (bar < 0) {
            return table.lookup(lower);
        }
        if (lower.indexOf('|', bar + 1) >= 0) {
            return null;
        }
        CommandSpec parent = table.lookup(lower.substring(0, bar));
        return parent == null ? null : parent.subcommands().get(lower.substring(bar + 1));
    }

    /** Redis's ACLChangeSelectorPerm: a command and, for a container, all its subcommands. */
    void change(CommandSpec spec, boolean allow) {
        set(spec.name(), allow);
        firstArgs.remove(spec.name());
        spec.subcommands().values().forEach(s -> set(s.name(), allow));
    }

    private void set(String name, boolean allow) {
        if (allow) {
            allowed.add(name);
        } else {
            allowed.remove(name);
            allCommands = false;
        }
    }

    void setCategory(Iterable<CommandSpec> commands, String category, boolean allow) {
        for (CommandSpec spec : commands) {
            if (spec.acl().contains(category)) {
                change(spec, allow);
            }
            if (!spec.subcommands().isEmpty()) {
                setCategory(spec.subcommands().values(), category, allow);
            }
        }
    }

    private static void everyName(CommandSpec spec, Set<String> out) {
        out.add(spec.name());
        spec.subcommands().values().forEach(s -> out.add(s.name()));
    }

    private static boolean hasSpaces(String s) {
        return s.indexOf(' ') >= 0 || s.indexOf('\0') >= 0;
    }

    // ---------------------------------------------------------------- checks (ACLSelectorCheckCmd)

    /**
     * Whether this selector allows {@code spec} on {@code args}: {@link #OK}, or the reason, with the
     * position of the refused key or channel written to {@code position[0]}.
     */
    int check(CommandSpec spec, byte[][] args, KeyLookup keys, int[] position) {
        if (!allCommands && !spec.has(CommandFlag.NO_AUTH) && !allowed.contains(spec.name())) {
            List<String> allowedArgs = firstArgs.get(spec.name());
            int idx = spec.name().indexOf('|') >= 0 ? 2 : 1;
            if (allowedArgs == null || args.length <= idx) {
                return DENIED_COMMAND;
            }
            String arg = new String(args[idx], StandardCharsets.UTF_8);
            if (allowedArgs.stream().noneMatch(arg::equalsIgnoreCase)) {
                return DENIED_COMMAND;
            }
        }
        if (!allKeys) {
            for (KeySpec.KeyRef ref : keys.get()) {
                if (!keyAllowed(args[ref.position()], accessOf(ref.flags()))) {
                    position[0] = ref.position();
                    return DENIED_KEY;
                }
            }
        }
        if (!allChannels) {
            int denied = AclChannels.firstDenied(spec.name(), args, (channel, pattern) -> channelAllowed(channel, pattern));
            if (denied >= 0) {
                position[0] = denied;
                return DENIED_CHANNEL;
            }
        }
        return OK;
    }

    /** The READ/WRITE permission a key spec's flags ask for (access reads; insert, delete and update write). */
    static int accessOf(List<String> flags) {
        int need = 0;
        for (String f : flags) {
            switch (f) {
                case "access" -> need |= READ;
                case "insert", "delete", "update" -> need |= WRITE;
                default -> { }
            }
        }
        return need;
    }

    boolean keyAllowed(byte[] key, int need) {
        if (allKeys) {
            return true;
        }
        for (KeyPattern p : keys) {
            if ((p.flags & need) == need && Glob.matches(p.pattern.getBytes(StandardCharsets.UTF_8), key, false)) {
                return true;
            }
        }
        return false;
    }

    /** Redis's ACLSelectorHasUnrestrictedKeyAccess: a {@code *} pattern granting {@code need}. */
    boolean unrestricted(int need) {
        if (allKeys) {
            return true;
        }
        return keys.stream().anyMatch(p -> (p.flags & need) == need && p.pattern.equals("*"));
    }

    boolean channelAllowed(byte[] channel, boolean isPattern) {
        if (allChannels) {
            return true;
        }
        for (String p : channels) {
            byte[] pattern = p.getBytes(StandardCharsets.UTF_8);
            if (isPattern ? java.util.Arrays.equals(pattern, channel) : Glob.matches(pattern, channel, false)) {
                return true;
            }
        }
        return false;
    }

    /** The keys of a command line with their spec flags, found once and shared by the selectors. */
    interface KeyLookup {
        List<KeySpec.KeyRef> get();
    }

    // ---------------------------------------------------------------- description

    /** The key patterns as ACL GETUSER shows them. */
    String keysText() {
        if (allKeys) {
            return "~*";
        }
        return String.join(" ", keys.stream().map(KeyPattern::describe).toList());
    }

    String channelsText() {
        if (allChannels) {
            return "&*";
        }
        return String.join(" ", channels.stream().map(c -> "&" + c).toList());
    }

    /** Redis's ACLDescribeSelector: keys, channels, then the command rules. */
    String describe(CommandTable table) {
        StringBuilder sb = new StringBuilder();
        if (allKeys) {
            sb.append("~* ");
        } else {
            keys.forEach(k -> sb.append(k.describe()).append(' '));
        }
        if (allChannels) {
            sb.append("&* ");
        } else {
            sb.append("resetchannels ");
            channels.forEach(c -> sb.append('&').append(c).append(' '));
        }
        sb.append(CommandRulesDescription.describe(this, table));
        return sb.toString();
    }
}
