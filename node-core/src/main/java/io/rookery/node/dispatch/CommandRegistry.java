package io.rookery.node.dispatch;

import io.rookery.protocol.command.CommandSpec;
import io.rookery.protocol.command.CommandTable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds handlers to the specs of the command table by explicit registration (never by scanning).
 * {@link #missing()} lists specs without a handler, so a test can hold the table and the code together.
 */
public final class CommandRegistry {
    private final CommandTable table;
    private final boolean subset;
    private final Map<CommandSpec, Command> bySpec = new IdentityHashMap<>();
    private final Map<String, Command> byName = new LinkedHashMap<>();

    public CommandRegistry(CommandTable table) {
        this(table, false);
    }

    /**
     * With {@code subset}, the table is a subset of what the handler families register (a node in
     * sentinel mode): handlers for commands outside it are skipped instead of rejected.
     */
    public CommandRegistry(CommandTable table, boolean subset) {
        this.table = table;
        this.subset = subset;
    }

    public CommandTable table() {
        return table;
    }

    /**
     * Registers (or replaces) the handler of "name" or "container|sub"; the name must be in the table,
     * unless this registry serves a subset.
     */
    public CommandRegistry register(String name, CommandHandler handler) {
        CommandSpec spec = find(name);
        if (spec == null) {
            if (subset) {
                return this;
            }
            throw new IllegalArgumentException("not in the command table: " + name);
        }
        Command c = new Command(spec, handler);
        bySpec.put(spec, c);
        byName.put(spec.name(), c);
        return this;
    }

    private CommandSpec find(String name) {
        int bar = name.indexOf('|');
        if (bar < 0) {
            return table.lookup(name);
        }
        CommandSpec container = table.lookup(name.substring(0, bar));
        return container == null ? null : container.subcommands().get(name.substring(bar + 1));
    }

    public Command get(CommandSpec spec) {
        return bySpec.get(spec);
    }

    public Command get(String name) {
        return byName.get(name);
    }

    public Collection<Command> all() {
        return byName.values();
    }

    /** Names in the table (commands and subcommands) that have no handler. */
    public List<String> missing() {
        List<String> out = new ArrayList<>();
        for (CommandSpec spec : table.commands()) {
            if (spec.isContainer()) {
                for (CommandSpec sub : spec.subcommands().values()) {
                    if (!bySpec.containsKey(sub)) {
                        out.add(sub.name());
                    }
                }
            } else if (!bySpec.containsKey(spec)) {
                out.add(spec.name());
            }
        }
        return out;
    }

    public void resetStats() {
        byName.values().forEach(Command::resetStats);
    }
}
