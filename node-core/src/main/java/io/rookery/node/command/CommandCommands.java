package io.rookery.node.command;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.keyspace.Glob;
import io.rookery.protocol.RespWriter;
import io.rookery.protocol.command.CommandFlag;
import io.rookery.protocol.command.CommandSpec;
import io.rookery.protocol.command.KeySpec;
import io.rookery.protocol.command.KeySpecTable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** COMMAND and its subcommands, all answered from the command table. */
final class CommandCommands extends CommandGroup {

    CommandCommands(CommandBasics basics) {
        super(basics);
    }

    void register(CommandRegistry r) {
        r.register("command", (c, a) -> {
            if (a.length > 1) {
                // COMMAND with arguments is a subcommand call the dispatcher did not route: unknown.
                throw new CommandError("ERR unknown subcommand '" + Args.text(a[1]) + "'. Try COMMAND HELP.");
            }
            Collection<CommandSpec> all = served();
            c.reply().array(all.size());
            for (CommandSpec s : all) {
                info(c.reply(), s);
            }
        })
                .register("command|count", (c, a) -> c.reply().integer(served().size()))
                .register("command|list", this::list)
                .register("command|info", this::info)
                .register("command|docs", this::docs)
                .register("command|getkeys", (c, a) -> getkeys(c, a, false))
                .register("command|getkeysandflags", (c, a) -> getkeys(c, a, true))
                .register("command|help", (c, a) -> Help.reply(c.reply(), "COMMAND",
                        "(no subcommand)", "    Return details about all commands.",
                        "COUNT", "    Return the total number of commands in this server.",
                        "LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]",
                        "    Return a list of all commands in this server.",
                        "INFO [<command-name> ...]", "    Return details about multiple commands.",
                        "DOCS [<command-name> ...]", "    Return documentation details about multiple commands.",
                        "GETKEYS <full-command>", "    Return the keys from a full command.",
                        "GETKEYSANDFLAGS <full-command>", "    Return the keys and the access flags from a full command.",
                        "HELP", "    Prints this help."));
    }

    /** Top-level commands that have a handler (or are containers of ones that do). */
    private List<CommandSpec> served() {
        List<CommandSpec> out = new ArrayList<>();
        for (CommandSpec s : dispatcher.registry().table().commands()) {
            if (s.isContainer() || dispatcher.registry().get(s) != null) {
                out.add(s);
            }
        }
        return out;
    }

    private CommandSpec find(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int bar = lower.indexOf('|');
        CommandSpec top = dispatcher.registry().table().lookup(bar < 0 ? lower : lower.substring(0, bar));
        if (top == null || bar < 0) {
            return top;
        }
        return top.subcommands().get(lower.substring(bar + 1));
    }

    /** One COMMAND INFO entry in Redis 7.0's ten-field shape. */
    private void info(RespWriter r, CommandSpec s) {
        r.array(10);
        r.bulk(s.name());
        r.integer(s.arity());
        List<String> flags = new ArrayList<>();
        for (CommandFlag f : CommandFlag.values()) {
            if (s.has(f) && f != CommandFlag.MAY_REPLICATE) { // Redis hides may_replicate on purpose
                flags.add(f.wireName());
            }
        }
        r.set(flags.size());
        for (String f : flags) {
            r.simple(f);
        }
        r.integer(s.firstKey());
        r.integer(s.lastKey());
        r.integer(s.keyStep());
        r.set(s.acl().size());
        for (String cat : s.acl()) {
            r.simple("@" + cat);
        }
        r.emptyArray(); // tips
        keySpecs(r, s);
        r.array(s.subcommands().size());
        for (CommandSpec sub : s.subcommands().values()) {
            info(r, sub);
        }
    }

    /** A range key spec derived from first/last/step: begin at an index, find keys over a range. */
    private static void keySpecs(RespWriter r, CommandSpec s) {
        if (s.firstKey() <= 0) {
            r.emptyArray();
            return;
        }
        r.array(1);
        r.map(3);
        r.bulk("flags");
        r.set(0);
        r.bulk("begin_search");
        r.map(2);
        r.bulk("type");
        r.bulk("index");
        r.bulk("spec");
        r.map(1);
        r.bulk("index");
        r.integer(s.firstKey());
        r.bulk("find_keys");
        r.map(2);
        r.bulk("type");
        r.bulk("range");
        r.bulk("spec");
        r.map(3);
        r.bulk("lastkey");
        r.integer(s.lastKey() >= 0 ? s.lastKey() - s.firstKey() : s.lastKey());
        r.bulk("keystep");
        r.integer(s.keyStep());
        r.bulk("limit");
        r.integer(0);
    }

    private void info(Client c, byte[][] a) {
        RespWriter r = c.reply();
        if (a.length == 2) {
            List<CommandSpec> all = served();
            r.array(all.size());
            all.forEach(s -> info(r, s));
            return;
        }
        r.array(a.length - 2);
        for (int i = 2; i < a.length; i++) {
            CommandSpec s = find(Args.text(a[i]));
            if (s == null) {
                r.nullBulk();
            } else {
                info(r, s);
            }
        }
    }

    private void docs(Client c, byte[][] a) {
        List<CommandSpec> specs = new ArrayList<>();
        if (a.length == 2) {
            specs.addAll(served());
        } else {
            for (int i = 2; i < a.length; i++) {
                CommandSpec s = find(Args.text(a[i]));
                if (s != null) {
                    specs.add(s);
                }
            }
        }
        RespWriter r = c.reply();
        r.map(specs.size());
        for (CommandSpec s : specs) {
            r.bulk(s.name());
            doc(r, s);
        }
    }

    private static void doc(RespWriter r, CommandSpec s) {
        r.map(s.isContainer() ? 5 : 4);
        r.bulk("summary");
        r.bulk(s.summary());
        r.bulk("since");
        r.bulk(s.since());
        r.bulk("group");
        r.bulk(s.group());
        r.bulk("complexity");
        r.bulk(s.complexity());
        if (s.isContainer()) {
            r.bulk("subcommands");
            r.map(s.subcommands().size());
            for (CommandSpec sub : s.subcommands().values()) {
                r.bulk(sub.name());
                doc(r, sub);
            }
        }
    }

    // COMMAND LIST [FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]
    private void list(Client c, byte[][] a) {
        String aclcat = null;
        String pattern = null;
        boolean module = false;
        if (a.length == 5 && Args.is(a[2], "FILTERBY")) {
            if (Args.is(a[3], "ACLCAT")) {
                aclcat = Args.text(a[4]).toLowerCase(Locale.ROOT);
            } else if (Args.is(a[3], "PATTERN")) {
                pattern = Args.text(a[4]);
            } else if (Args.is(a[3], "MODULE")) {
                module = true;
            } else {
                throw Errors.syntax();
            }
        } else if (a.length != 2) {
            throw Errors.syntax();
        }
        List<String> names = new ArrayList<>();
        if (!module) {
            for (CommandSpec s : served()) {
                addListed(names, s, aclcat, pattern);
                for (CommandSpec sub : s.subcommands().values()) {
                    addListed(names, sub, aclcat, pattern);
                }
            }
        }
        RespWriter r = c.reply();
        r.array(names.size());
        names.forEach(r::bulk);
    }

    private static void addListed(List<String> out, CommandSpec s, String aclcat, String pattern) {
        if (aclcat != null && !s.acl().contains(aclcat)) {
            return;
        }
        if (pattern != null && !Glob.matches(pattern, s.name())) {
            return;
        }
        out.add(s.name());
    }

    /**
     * COMMAND GETKEYS / GETKEYSANDFLAGS full-command: the keys as Redis finds them
     * (getKeysFromCommandWithSpecs) — by the command's key specs when they are complete and their flags
     * fixed, otherwise by the command's own key procedure — with each key's spec flags when asked.
     */
    private void getkeys(Client c, byte[][] a, boolean withFlags) {
        CommandSpec s = dispatcher.registry().table().lookup(a[2]);
        if (s == null) {
            throw new CommandError("ERR Invalid command specified");
        }
        int argc = a.length - 2;
        if (s.isContainer() && argc >= 2) {
            CommandSpec sub = s.subcommands().get(Args.text(a[3]).toLowerCase(Locale.ROOT));
            if (sub != null) {
                s = sub;
            }
        }
        List<KeySpec> specs = KeySpecTable.standard().specs(s.name());
        boolean hasKeySpec = specs.stream().anyMatch(k -> !k.has("not_key"));
        if (!hasKeySpec && s.firstKey() <= 0 && !s.has(CommandFlag.MOVABLEKEYS)) {
            throw new CommandError("ERR The command has no key arguments");
        }
        if (!s.arityAccepts(argc)) {
            throw new CommandError("ERR Invalid number of arguments specified for command");
        }
        byte[][] full = java.util.Arrays.copyOfRange(a, 2, a.length);
        List<KeySpec.KeyRef> keys = null;
        if (hasKeySpec && specs.stream().noneMatch(k -> k.has("variable_flags"))) {
            keys = KeySpecTable.search(specs, full);
        }
        if (keys == null) {
            keys = io.rookery.node.acl.CommandKeys.byProcedure(s, full);
        }
        RespWriter r = c.reply();
        if (keys.isEmpty()) {
            if (s.has(CommandFlag.NO_MANDATORY_KEYS)) {
                r.emptyArray();
                return;
            }
            throw new CommandError("ERR Invalid arguments specified for command");
        }
        r.array(keys.size());
        for (KeySpec.KeyRef k : keys) {
            if (withFlags) {
                r.array(2);
                r.bulk(full[k.position()]);
                r.set(k.flags().size());
                k.flags().forEach(r::simple);
            } else {
                r.bulk(full[k.position()]);
            }
        }
    }
}
