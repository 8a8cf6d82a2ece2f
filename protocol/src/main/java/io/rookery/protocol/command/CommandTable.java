package io.rookery.protocol.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command table: every command Rookery serves, read from {@code commands.tsv} (generated from
 * Redis 7.0's own COMMAND output by {@code tools/gen-command-table.py}). The node's dispatcher, the
 * gateway and the COMMAND command all read this one table.
 *
 * <p>File grammar: one command per line, tab-separated:
 * {@code name arity flags first last step acl group since complexity summary}; flags and acl are
 * comma lists or "-"; a "container|sub" name adds a subcommand to its container; '#' starts a comment.
 */
public final class CommandTable {
    private static final CommandTable STANDARD = load(CommandTable.class.getResourceAsStream("/io/rookery/protocol/commands.tsv"));
    private static final CommandTable SENTINEL =
            load(CommandTable.class.getResourceAsStream("/io/rookery/protocol/sentinel-commands.tsv"));

    private final Map<String, CommandSpec> byName;
    private final CommandSpec[] slots; // open addressing over lower-cased name bytes
    private final byte[][] slotNames;
    private final int mask;

    private CommandTable(Map<String, CommandSpec> byName) {
        this.byName = Collections.unmodifiableMap(byName);
        int size = Integer.highestOneBit(Math.max(16, byName.size() * 4) - 1) << 1;
        slots = new CommandSpec[size];
        slotNames = new byte[size][];
        mask = size - 1;
        for (CommandSpec spec : byName.values()) {
            byte[] n = spec.name().getBytes(StandardCharsets.US_ASCII);
            int i = hash(n) & mask;
            while (slots[i] != null) {
                i = (i + 1) & mask;
            }
            slots[i] = spec;
            slotNames[i] = n;
        }
    }

    /** The table shipped with Rookery. */
    public static CommandTable standard() {
        return STANDARD;
    }

    /** The smaller table a node serves in sentinel mode (redis-sentinel 7.0's command set). */
    public static CommandTable sentinel() {
        return SENTINEL;
    }

    /** Finds a top-level command by its name in any letter case, without allocating. Null when unknown. */
    public CommandSpec lookup(byte[] name) {
        int i = hash(name) & mask;
        while (slots[i] != null) {
            if (equalsIgnoreCase(slotNames[i], name)) {
                return slots[i];
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    public CommandSpec lookup(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    public Collection<CommandSpec> commands() {
        return byName.values();
    }

    public int size() {
        return byName.size();
    }

    private static int hash(byte[] name) {
        int h = 0;
        for (byte b : name) {
            h = 31 * h + lower(b);
        }
        return h ^ (h >>> 16);
    }

    private static int lower(byte b) {
        return (b >= 'A' && b <= 'Z') ? b + 32 : b;
    }

    private static boolean equalsIgnoreCase(byte[] lowerName, byte[] name) {
        if (lowerName.length != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (lowerName[i] != lower(name[i])) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- loading

    public static CommandTable load(InputStream in) {
        if (in == null) {
            throw new IllegalStateException("commands.tsv is missing from the classpath");
        }
        Map<String, CommandSpec> top = new LinkedHashMap<>();
        Map<String, Map<String, CommandSpec>> subs = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                CommandSpec spec = parse(line, Map.of());
                int bar = spec.name().indexOf('|');
                if (bar < 0) {
                    top.put(spec.name(), spec);
                } else {
                    String container = spec.name().substring(0, bar);
                    subs.computeIfAbsent(container, k -> new LinkedHashMap<>())
                            .put(spec.name().substring(bar + 1), spec);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        subs.forEach((container, children) -> {
            CommandSpec c = top.get(container);
            if (c == null) {
                throw new IllegalStateException("subcommands of unknown container " + container);
            }
            top.put(container, new CommandSpec(c.name(), c.arity(), c.flagBits(), c.firstKey(), c.lastKey(),
                    c.keyStep(), c.acl(), c.group(), c.since(), c.complexity(), c.summary(),
                    Collections.unmodifiableMap(children)));
        });
        return new CommandTable(top);
    }

    private static CommandSpec parse(String line, Map<String, CommandSpec> subcommands) {
        String[] f = line.split("\t", -1);
        if (f.length != 11) {
            throw new IllegalStateException("bad command table line: " + line);
        }
        int bits = 0;
        for (String flag : list(f[2])) {
            bits |= CommandFlag.ofWireName(flag).bit();
        }
        return new CommandSpec(f[0], Integer.parseInt(f[1]), bits, Integer.parseInt(f[3]),
                Integer.parseInt(f[4]), Integer.parseInt(f[5]), list(f[6]), f[7], f[8], f[9], f[10],
                subcommands);
    }

    private static List<String> list(String field) {
        return field.equals("-") ? List.of() : List.copyOf(new ArrayList<>(Arrays.asList(field.split(","))));
    }
}
