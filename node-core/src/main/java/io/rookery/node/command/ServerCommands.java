package io.rookery.node.command;

import io.rookery.node.NodeStats;
import io.rookery.node.client.Client;
import io.rookery.node.client.ClientRegistry;
import io.rookery.node.config.ConfigException;
import io.rookery.node.config.ConfigFile;
import io.rookery.node.config.ConfigParameter;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.dispatch.SlowLog;
import io.rookery.node.eviction.Evictor;
import io.rookery.node.info.InfoReport;
import io.rookery.node.keyspace.Glob;
import io.rookery.node.persistence.Persistence;
import io.rookery.protocol.RespWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Server commands: INFO, TIME, SHUTDOWN, MONITOR, CONFIG, SLOWLOG. */
final class ServerCommands extends CommandGroup {

    private final InfoReport info;
    private final Persistence persistence;
    private final Evictor evictor;
    private final ClientRegistry clients;
    private final NodeStats stats;
    private final Runnable shutdown;

    ServerCommands(CommandBasics basics, InfoReport info, Persistence persistence, Evictor evictor, ClientRegistry clients, NodeStats stats, Runnable shutdown) {
        super(basics);
        this.info = info;
        this.persistence = persistence;
        this.evictor = evictor;
        this.clients = clients;
        this.stats = stats;
        this.shutdown = shutdown;
    }

    void register(CommandRegistry r) {
        r.register("info", this::info)
                .register("time", this::time)
                .register("shutdown", this::shutdown)
                .register("monitor", this::monitor)
                .register("config|get", this::configGet)
                .register("config|set", this::configSet)
                .register("config|resetstat", this::resetStat)
                .register("config|rewrite", this::rewrite)
                .register("config|help", (c, a) -> Help.reply(c.reply(), "CONFIG",
                        "GET <pattern>", "    Return parameters matching the glob-like <pattern> and their values.",
                        "SET <directive> <value>", "    Set the configuration <directive> to <value>.",
                        "RESETSTAT", "    Reset statistics reported by the INFO command.",
                        "REWRITE", "    Rewrite the configuration file.",
                        "HELP", "    Prints this help."))
                .register("slowlog|get", this::slowlogGet)
                .register("slowlog|len", (c, a) -> c.reply().integer(dispatcher.slowLog().size()))
                .register("slowlog|reset", (c, a) -> {
                    dispatcher.slowLog().reset();
                    c.reply().ok();
                })
                .register("slowlog|help", (c, a) -> Help.reply(c.reply(), "SLOWLOG",
                        "GET [<count>]", "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                        "    Entries are made of:",
                        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                        "    client name",
                        "LEN", "    Return the length of the slowlog.",
                        "RESET", "    Reset the slowlog.",
                        "HELP", "    Prints this help."));
    }

    private void info(Client c, byte[][] a) {
        String[] sections = new String[a.length - 1];
        for (int i = 1; i < a.length; i++) {
            sections[i - 1] = Args.text(a[i]).toLowerCase(Locale.ROOT);
        }
        c.reply().verbatim("txt", info.render(sections));
    }

    private void time(Client c, byte[][] a) {
        long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
        RespWriter r = c.reply();
        r.array(2);
        r.bulk(micros / 1_000_000);
        r.bulk(micros % 1_000_000);
    }

    // SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]
    private void shutdown(Client c, byte[][] a) {
        boolean abort = false;
        boolean save = false;
        boolean nosave = false;
        for (int i = 1; i < a.length; i++) {
            if (Args.is(a[i], "NOSAVE")) {
                nosave = true;
            } else if (Args.is(a[i], "SAVE")) {
                save = true;
            } else if (Args.is(a[i], "NOW") || Args.is(a[i], "FORCE")) {
                continue;
            } else if (Args.is(a[i], "ABORT")) {
                abort = true;
            } else {
                throw Errors.syntax();
            }
        }
        if (save && nosave || abort && a.length > 2) {
            throw Errors.syntax();
        }
        if (abort) {
            throw new CommandError("ERR No shutdown in progress.");
        }
        if (save || !nosave && !config.save.isBlank()) {
            persistence.cancel();
            try {
                persistence.save();
            } catch (java.io.IOException e) {
                if (!Args.is(a[a.length - 1], "FORCE")) {
                    throw new CommandError("ERR Errors trying to SHUTDOWN. Check logs.");
                }
            }
        }
        shutdown.run();
    }

    private void monitor(Client c, byte[][] a) {
        c.monitor = true;
        dispatcher.addMonitor(c);
        c.reply().ok();
    }

    // CONFIG GET parameter [parameter ...]: a map of every parameter matching any of the patterns.
    private void configGet(Client c, byte[][] a) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 2; i < a.length; i++) {
            String pattern = Args.text(a[i]);
            boolean glob = pattern.chars().anyMatch(ch -> ch == '*' || ch == '?' || ch == '[');
            for (ConfigParameter p : config.parameters()) {
                if (Glob.matches(pattern, p.name())
                        && !(glob && io.rookery.node.config.RedisParameterTable.hidden(p.name()))) {
                    out.putIfAbsent(p.name(), p.get());
                }
            }
        }
        RespWriter r = c.reply();
        r.map(out.size());
        out.forEach((k, v) -> {
            r.bulk(k);
            r.bulk(v);
        });
    }

    // CONFIG SET parameter value [parameter value ...], all or nothing.
    private void configSet(Client c, byte[][] a) {
        if (a.length % 2 != 0) {
            throw new CommandError(Errors.arity("config|set"));
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 2; i < a.length; i += 2) {
            String name = Args.text(a[i]).toLowerCase(Locale.ROOT);
            if (config.parameter(name) == null) {
                throw new CommandError("ERR Unknown option or number of arguments for CONFIG SET - '" + Args.text(a[i]) + "'");
            }
            if (!io.rookery.node.config.ProtectedAction.maySet(config, name, c.connection().isLoopback())) {
                throw new CommandError("ERR CONFIG SET failed (possibly related to argument '" + Args.text(a[i])
                        + "') - can't set protected config");
            }
            if (values.put(name, Args.text(a[i + 1])) != null) {
                throw new CommandError("ERR CONFIG SET failed (possibly related to argument '" + name + "') - duplicate parameter");
            }
        }
        try {
            config.set(values);
        } catch (ConfigException e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        c.reply().ok();
    }

    private void resetStat(Client c, byte[][] a) {
        dispatcher.resetStats();
        keyspace.resetStats();
        evictor.resetStats();
        clients.resetStats();
        stats.netInputBytes = 0;
        stats.netOutputBytes = 0;
        c.reply().ok();
    }

    private void rewrite(Client c, byte[][] a) {
        if (config.configFile.isEmpty()) {
            throw new CommandError("ERR The server is running without a config file");
        }
        try {
            ConfigFile.rewrite(config, Path.of(config.configFile));
        } catch (IOException e) {
            throw new CommandError("ERR Rewriting config file: " + e.getMessage());
        }
        c.reply().ok();
    }

    private void slowlogGet(Client c, byte[][] a) {
        long count = 10;
        if (a.length == 3) {
            count = Args.integer(a[2], "ERR count should be greater than or equal to -1");
            if (count < -1) {
                throw new CommandError("ERR count should be greater than or equal to -1");
            }
            if (count == -1) {
                count = Long.MAX_VALUE;
            }
        } else if (a.length > 3) {
            throw Errors.syntax();
        }
        List<SlowLog.Entry> entries = dispatcher.slowLog().newest(count);
        RespWriter r = c.reply();
        r.array(entries.size());
        for (SlowLog.Entry e : entries) {
            r.array(6);
            r.integer(e.id());
            r.integer(e.timestampSeconds());
            r.integer(e.micros());
            r.array(e.args().size());
            for (byte[] arg : e.args()) {
                r.bulk(arg);
            }
            r.bulk(e.peer());
            r.bulk(e.clientName());
        }
    }
}
