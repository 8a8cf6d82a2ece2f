package io.rookery.sentinel;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.keyspace.Glob;
import io.rookery.protocol.RespWriter;
import io.rookery.sentinel.SentinelEvents.Level;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SENTINEL subcommands that change the configuration — MONITOR, REMOVE, SET, CONFIG GET/SET,
 * FLUSHCONFIG, DEBUG, SIMULATE-FAILURE — with redis-sentinel's replies and errors. A change is saved
 * to the config file before the reply, which reports a failure to save.
 */
final class SentinelConfigCommands {
    private final Sentinel s;

    SentinelConfigCommands(Sentinel s) {
        this.s = s;
    }

    void register(CommandRegistry r) {
        r.register("sentinel|monitor", this::monitor)
                .register("sentinel|remove", this::remove)
                .register("sentinel|flushconfig", (c, a) -> flushAndReply(c))
                .register("sentinel|set", this::set)
                .register("sentinel|config", this::config)
                .register("sentinel|simulate-failure", this::simulateFailure)
                .register("sentinel|debug", this::debug);
    }

    private Master master(byte[] name) {
        return SentinelCommands.master(s, name);
    }

    private void monitor(Client c, byte[][] a) {
        long quorum = Args.integer(a[5], "ERR Invalid quorum");
        long port = Args.integer(a[4], "ERR Invalid port");
        if (quorum <= 0) {
            throw new CommandError("ERR Quorum must be 1 or greater.");
        }
        String host = Args.text(a[3]);
        if (InstanceAddress.resolve(host, s.resolveHostnames) == null) {
            throw new CommandError("ERR Invalid IP address or hostname specified");
        }
        Master m;
        try {
            m = s.createMaster(Args.text(a[2]), host, (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, port)),
                    (int) Math.min(Integer.MAX_VALUE, quorum));
        } catch (InstanceRejected e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        flushAndReply(c);
        s.events.about(Level.WARNING, "+monitor", m, "quorum " + m.quorum);
    }

    private void remove(Client c, byte[][] a) {
        Master m = master(a[2]);
        s.events.about(Level.WARNING, "-monitor", m, "");
        s.masters.remove(m.name);
        s.releaseAll(m);
        flushAndReply(c);
    }

    private void flushAndReply(Client c) {
        if (!s.flushConfig()) {
            throw new CommandError("ERR Failed to save config file. Check server logs.");
        }
        c.reply().ok();
    }

    /** SET name option value [option value ...]: applied one by one; an error stops (earlier ones stay). */
    private void set(Client c, byte[][] a) {
        Master m = master(a[2]);
        int changes = 0;
        for (int j = 3; j < a.length; j++) {
            int more = a.length - 1 - j;
            String option = Args.text(a[j]);
            int first = j;
            boolean redacted = false;
            String error = null;
            switch (option.toLowerCase(java.util.Locale.ROOT)) {
                case "down-after-milliseconds", "failover-timeout", "parallel-syncs", "quorum",
                     "master-reboot-down-after-period" -> {
                    if (more < 1) {
                        error = unknownSetOption(option);
                        break;
                    }
                    boolean zeroOk = option.equalsIgnoreCase("master-reboot-down-after-period");
                    Long v = positive(a[++j], zeroOk);
                    if (v == null) {
                        error = "ERR Invalid argument '" + Args.text(a[j]) + "' for SENTINEL SET '" + option + "'";
                        break;
                    }
                    switch (option.toLowerCase(java.util.Locale.ROOT)) {
                        case "down-after-milliseconds" -> {
                            m.downAfterPeriod = v;
                            m.propagateDownAfterPeriod();
                        }
                        case "failover-timeout" -> m.failoverTimeout = v;
                        case "parallel-syncs" -> m.parallelSyncs = (int) Math.min(Integer.MAX_VALUE, v);
                        case "quorum" -> m.quorum = (int) Math.min(Integer.MAX_VALUE, v);
                        default -> m.masterRebootDownAfterPeriod = v;
                    }
                }
                case "notification-script", "client-reconfig-script" -> {
                    if (more < 1) {
                        error = unknownSetOption(option);
                        break;
                    }
                    String value = Args.text(a[++j]);
                    boolean notification = option.equalsIgnoreCase("notification-script");
                    if (s.denyScriptsReconfig) {
                        error = "ERR Reconfiguration of scripts path is denied for security reasons. Check the "
                                + "deny-scripts-reconfig configuration directive in your Sentinel configuration";
                    } else if (!value.isEmpty() && !java.nio.file.Files.isExecutable(s.resolve(value))) {
                        error = notification ? "ERR Notification script seems non existing or non executable"
                                : "ERR Client reconfiguration script seems non existing or non executable";
                    } else if (notification) {
                        m.notificationScript = value.isEmpty() ? null : value;
                    } else {
                        m.clientReconfigScript = value.isEmpty() ? null : value;
                    }
                }
                case "auth-pass", "auth-user" -> {
                    if (more < 1) {
                        error = unknownSetOption(option);
                        break;
                    }
                    String value = Args.text(a[++j]);
                    if (option.equalsIgnoreCase("auth-pass")) {
                        m.authPass = value.isEmpty() ? null : value;
                        redacted = true;
                    } else {
                        m.authUser = value.isEmpty() ? null : value;
                    }
                    s.dropInstanceConnections(m);
                }
                case "rename-command" -> {
                    if (more < 2) {
                        error = unknownSetOption(option);
                        break;
                    }
                    String from = Args.text(a[++j]);
                    String to = Args.text(a[++j]);
                    if (from.isEmpty() || to.isEmpty()) {
                        String bad = to.isEmpty() ? to : from;
                        error = "ERR Invalid argument '" + bad + "' for SENTINEL SET '" + option + "'";
                        break;
                    }
                    m.renamedCommands.remove(from.toLowerCase(java.util.Locale.ROOT));
                    if (!from.equalsIgnoreCase(to)) {
                        m.renamedCommands.put(from.toLowerCase(java.util.Locale.ROOT), to);
                    }
                }
                default -> error = unknownSetOption(option);
            }
            if (error != null) {
                if (changes > 0) {
                    s.flushConfig();
                }
                throw new CommandError(error);
            }
            changes++;
            StringBuilder detail = new StringBuilder(Args.text(a[first]));
            for (int k = first + 1; k <= j; k++) {
                detail.append(' ').append(redacted ? "******" : Args.text(a[k]));
            }
            s.events.about(Level.WARNING, "+set", m, detail.toString());
        }
        flushAndReply(c);
    }

    private static String unknownSetOption(String option) {
        return "ERR Unknown option or number of arguments for SENTINEL SET '" + option + "'";
    }

    /** A positive integer (or zero when allowed), else null. */
    private static Long positive(byte[] arg, boolean zeroOk) {
        try {
            long v = Args.integer(arg);
            return v > 0 || zeroOk && v == 0 ? v : null;
        } catch (CommandError e) {
            return null;
        }
    }

    /** SENTINEL CONFIG GET pattern | SET option value: the sentinel's global options. */
    private void config(Client c, byte[][] a) {
        if (Args.is(a[2], "SET") && a.length == 5) {
            configSet(c, Args.text(a[3]), Args.text(a[4]));
        } else if (Args.is(a[2], "GET") && a.length == 4) {
            configGet(c, a[3]);
        } else {
            throw new CommandError("ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported.");
        }
    }

    private void configSet(Client c, String option, String value) {
        boolean dropConnections = false;
        String bad = "ERR Invalid value '" + value + "' to SENTINEL CONFIG SET '" + option + "'";
        switch (option.toLowerCase(java.util.Locale.ROOT)) {
            case "resolve-hostnames", "announce-hostnames" -> {
                Boolean v = SentinelConfigFile.yesNo(value);
                if (v == null) {
                    throw new CommandError(bad);
                }
                if (option.equalsIgnoreCase("resolve-hostnames")) {
                    s.resolveHostnames = v;
                } else {
                    s.announceHostnames = v;
                }
            }
            case "announce-ip" -> s.announceIp = value;
            case "announce-port" -> {
                long p;
                try {
                    p = Args.integer(value.getBytes(StandardCharsets.UTF_8));
                } catch (CommandError e) {
                    throw new CommandError(bad);
                }
                if (p < 0 || p > 65535) {
                    throw new CommandError(bad);
                }
                s.announcePort = (int) p;
            }
            case "sentinel-user" -> {
                s.sentinelUser = value.isEmpty() ? null : value;
                dropConnections = true;
            }
            case "sentinel-pass" -> {
                s.sentinelPass = value.isEmpty() ? null : value;
                dropConnections = true;
            }
            default -> throw new CommandError("ERR Invalid argument '" + option + "' to SENTINEL CONFIG SET");
        }
        flushAndReply(c);
        if (dropConnections) {
            s.dropSentinelConnections();
        }
    }

    private void configGet(Client c, byte[] pattern) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("resolve-hostnames", s.resolveHostnames ? "yes" : "no");
        all.put("announce-hostnames", s.announceHostnames ? "yes" : "no");
        all.put("announce-ip", s.announceIp == null ? "" : s.announceIp);
        all.put("announce-port", (long) s.announcePort);
        all.put("sentinel-user", s.sentinelUser == null ? "" : s.sentinelUser);
        all.put("sentinel-pass", s.sentinelPass == null ? "" : s.sentinelPass);
        Map<String, Object> matched = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (Glob.matches(pattern, k.getBytes(StandardCharsets.UTF_8), true)) {
                matched.put(k, v);
            }
        });
        RespWriter r = c.reply();
        r.map(matched.size());
        matched.forEach((k, v) -> {
            r.bulk(k);
            if (v instanceof Long l) {
                r.bulk(l);
            } else {
                r.bulk((String) v);
            }
        });
    }

    private void simulateFailure(Client c, byte[][] a) {
        s.simulatedFailures = 0;
        for (int j = 2; j < a.length; j++) {
            if (Args.is(a[j], "CRASH-AFTER-ELECTION")) {
                s.simulatedFailures |= Failover.CRASH_AFTER_ELECTION;
            } else if (Args.is(a[j], "CRASH-AFTER-PROMOTION")) {
                s.simulatedFailures |= Failover.CRASH_AFTER_PROMOTION;
            } else if (Args.is(a[j], "HELP")) {
                c.reply().array(2);
                c.reply().bulk("crash-after-election");
                c.reply().bulk("crash-after-promotion");
                return;
            } else {
                throw new CommandError("ERR Unknown failure simulation specified");
            }
        }
        c.reply().ok();
    }

    /** DEBUG: lists the time parameters, or sets them (name value pairs). */
    private void debug(Client c, byte[][] a) {
        if (a.length == 2) {
            Map<String, SentinelTimings.Parameter> params = s.timings.parameters();
            RespWriter r = c.reply();
            r.map(params.size());
            params.forEach((name, p) -> {
                r.bulk(name);
                r.bulk(p.get().getAsLong());
            });
            return;
        }
        for (int j = 2; j < a.length; j++) {
            String option = Args.text(a[j]);
            SentinelTimings.Parameter p = s.timings.parameter(option);
            if (p == null || a.length - 1 - j < 1) {
                throw new CommandError("ERR Unknown option or number of arguments for SENTINEL DEBUG '" + option + "'");
            }
            Long v = positive(a[++j], false);
            if (v == null) {
                throw new CommandError("ERR Invalid argument '" + Args.text(a[j]) + "' for SENTINEL DEBUG '" + option + "'");
            }
            p.set().accept(v);
        }
        c.reply().ok();
    }
}
