package io.rookery.sentinel;

import io.rookery.node.client.Client;
import io.rookery.node.command.Help;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.keyspace.Glob;
import io.rookery.protocol.RespWriter;
import io.rookery.sentinel.Instance.Flag;
import io.rookery.sentinel.Instance.Kind;
import io.rookery.sentinel.SentinelEvents.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SENTINEL command and the sentinel's own ROLE and PUBLISH, with redis-sentinel's replies and
 * error texts. (Arity and unknown subcommands are the dispatcher's, from the sentinel command table.)
 */
final class SentinelCommands {
    private final Sentinel s;

    SentinelCommands(Sentinel s) {
        this.s = s;
    }

    void register(CommandRegistry r) {
        r.register("sentinel|help", this::help)
                .register("sentinel|masters", (c, a) -> instances(c, s.masters.values()))
                .register("sentinel|master", (c, a) -> instance(c.reply(), master(a[2])))
                .register("sentinel|replicas", (c, a) -> instances(c, master(a[2]).replicas.values()))
                .register("sentinel|slaves", (c, a) -> instances(c, master(a[2]).replicas.values()))
                .register("sentinel|sentinels", (c, a) -> instances(c, master(a[2]).sentinels.values()))
                .register("sentinel|myid", (c, a) -> c.reply().bulk(s.myId))
                .register("sentinel|is-master-down-by-addr", this::isMasterDownByAddr)
                .register("sentinel|reset", (c, a) -> c.reply().integer(s.resetMastersMatching(Args.text(a[2]))))
                .register("sentinel|get-master-addr-by-name", this::getMasterAddrByName)
                .register("sentinel|failover", this::failover)
                .register("sentinel|pending-scripts", this::pendingScripts)
                .register("sentinel|monitor", this::monitor)
                .register("sentinel|flushconfig", (c, a) -> flushAndReply(c))
                .register("sentinel|remove", this::remove)
                .register("sentinel|ckquorum", this::ckquorum)
                .register("sentinel|set", this::set)
                .register("sentinel|config", this::config)
                .register("sentinel|info-cache", this::infoCache)
                .register("sentinel|simulate-failure", this::simulateFailure)
                .register("sentinel|debug", this::debug)
                .register("role", this::role)
                .register("publish", this::publish);
    }

    private void help(Client c, byte[][] a) {
        Help.reply(c.reply(), "SENTINEL",
                "CKQUORUM <master-name>",
                "    Check if the current Sentinel configuration is able to reach the quorum",
                "    needed to failover a master and the majority needed to authorize the",
                "    failover.",
                "CONFIG SET <param> <value>",
                "    Set a global Sentinel configuration parameter.",
                "CONFIG GET <param>",
                "    Get global Sentinel configuration parameter.",
                "DEBUG [<param> <value> ...]",
                "    Show a list of configurable time parameters and their values (milliseconds).",
                "    Or update current configurable parameters values (one or more).",
                "GET-MASTER-ADDR-BY-NAME <master-name>",
                "    Return the ip and port number of the master with that name.",
                "FAILOVER <master-name>",
                "    Manually failover a master node without asking for agreement from other",
                "    Sentinels",
                "FLUSHCONFIG",
                "    Force Sentinel to rewrite its configuration on disk, including the current",
                "    Sentinel state.",
                "INFO-CACHE <master-name>",
                "    Return last cached INFO output from masters and all its replicas.",
                "IS-MASTER-DOWN-BY-ADDR <ip> <port> <current-epoch> <runid>",
                "    Check if the master specified by ip:port is down from current Sentinel's",
                "    point of view.",
                "MASTER <master-name>",
                "    Show the state and info of the specified master.",
                "MASTERS",
                "    Show a list of monitored masters and their state.",
                "MONITOR <name> <ip> <port> <quorum>",
                "    Start monitoring a new master with the specified name, ip, port and quorum.",
                "MYID",
                "    Return the ID of the Sentinel instance.",
                "PENDING-SCRIPTS",
                "    Get pending scripts information.",
                "REMOVE <master-name>",
                "    Remove master from Sentinel's monitor list.",
                "REPLICAS <master-name>",
                "    Show a list of replicas for this master and their state.",
                "RESET <pattern>",
                "    Reset masters for specific master name matching this pattern.",
                "SENTINELS <master-name>",
                "    Show a list of Sentinel instances for this master and their state.",
                "SET <master-name> <option> <value> [<option> <value> ...]",
                "    Set configuration parameters for certain masters.",
                "SIMULATE-FAILURE [CRASH-AFTER-ELECTION] [CRASH-AFTER-PROMOTION] [HELP]",
                "    Simulate a Sentinel crash.",
                "HELP",
                "    Prints this help.");
    }

    private Master master(byte[] name) {
        Master m = s.masters.get(Args.text(name));
        if (m == null) {
            throw new CommandError("ERR No such master with that name");
        }
        return m;
    }

    // ---------------------------------------------------------------- instance listings

    private void instances(Client c, Iterable<? extends Instance> all) {
        List<Instance> shown = new ArrayList<>();
        for (Instance i : all) {
            if (i.kind == Kind.REPLICA && !i.replicaAnnounced) {
                continue; // replica-announced no: kept out of listings
            }
            shown.add(i);
        }
        c.reply().array(shown.size());
        for (Instance i : shown) {
            instance(c.reply(), i);
        }
    }

    /** One instance as the map SENTINEL MASTER / REPLICAS / SENTINELS print (a flat array under RESP2). */
    private void instance(RespWriter r, Instance ri) {
        long now = s.now();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", ri.name);
        f.put("ip", ri.addr.announced(s.announceHostnames));
        f.put("port", (long) ri.addr.port());
        f.put("runid", ri.runId == null ? "" : ri.runId);
        f.put("flags", ri.flagList());
        f.put("link-pending-commands", (long) ri.link.pendingCommands);
        f.put("link-refcount", (long) ri.link.refcount);
        if (ri instanceof Master m && m.is(Flag.FAILOVER_IN_PROGRESS)) {
            f.put("failover-state", m.failoverState.wireName);
        }
        f.put("last-ping-sent", ri.link.activePingSince != 0 ? now - ri.link.activePingSince : 0L);
        f.put("last-ok-ping-reply", now - ri.link.lastAvailable);
        f.put("last-ping-reply", now - ri.link.lastPongReceived);
        if (ri.is(Flag.S_DOWN)) {
            f.put("s-down-time", now - ri.sDownSince);
        }
        if (ri.is(Flag.O_DOWN)) {
            f.put("o-down-time", now - ri.oDownSince);
        }
        f.put("down-after-milliseconds", ri.downAfterPeriod);
        if (ri.kind != Kind.SENTINEL) {
            f.put("info-refresh", ri.infoRefreshed != 0 ? now - ri.infoRefreshed : 0L);
            f.put("role-reported", ri.roleReported == Kind.MASTER ? "master" : "slave");
            f.put("role-reported-time", now - ri.roleReportedAt);
        }
        if (ri instanceof Master m) {
            f.put("config-epoch", m.configEpoch);
            f.put("num-slaves", (long) m.replicas.size());
            f.put("num-other-sentinels", (long) m.sentinels.size());
            f.put("quorum", (long) m.quorum);
            f.put("failover-timeout", m.failoverTimeout);
            f.put("parallel-syncs", (long) m.parallelSyncs);
            if (m.notificationScript != null) {
                f.put("notification-script", m.notificationScript);
            }
            if (m.clientReconfigScript != null) {
                f.put("client-reconfig-script", m.clientReconfigScript);
            }
        }
        if (ri.kind == Kind.REPLICA) {
            f.put("master-link-down-time", ri.masterLinkDownTime);
            f.put("master-link-status", ri.replicaMasterLinkUp ? "ok" : "err");
            f.put("master-host", ri.replicaMasterHost == null ? "?" : ri.replicaMasterHost);
            f.put("master-port", (long) ri.replicaMasterPort);
            f.put("slave-priority", (long) ri.replicaPriority);
            f.put("slave-repl-offset", ri.replicaOffset);
            f.put("replica-announced", ri.replicaAnnounced ? 1L : 0L);
        }
        if (ri.kind == Kind.SENTINEL) {
            f.put("last-hello-message", now - ri.lastHello);
            f.put("voted-leader", ri.leader == null ? "?" : ri.leader);
            f.put("voted-leader-epoch", ri.leaderEpoch);
        }
        r.map(f.size());
        for (Map.Entry<String, Object> e : f.entrySet()) {
            r.bulk(e.getKey());
            if (e.getValue() instanceof Long l) {
                r.bulk(l);
            } else {
                r.bulk(e.getValue().toString());
            }
        }
    }

    // ---------------------------------------------------------------- queries between sentinels

    /**
     * IS-MASTER-DOWN-BY-ADDR ip port current-epoch runid: whether we see that primary SDOWN (never in
     * TILT), and, when runid is not "*", our vote for that epoch.
     */
    private void isMasterDownByAddr(Client c, byte[][] a) {
        long port = Args.integer(a[3]);
        long reqEpoch = Args.integer(a[4]);
        Instance ri = s.sentinelByAddressAndRunId(s.masters, Args.text(a[2]), (int) port, null);
        boolean down = !s.tilt && ri instanceof Master && ri.is(Flag.S_DOWN);
        LeaderElection.Vote vote = null;
        if (ri instanceof Master m && !Args.text(a[5]).equals("*")) {
            vote = s.election.vote(m, reqEpoch, Args.text(a[5]));
        }
        RespWriter r = c.reply();
        r.array(3);
        r.integer(down ? 1 : 0);
        r.bulk(vote != null && vote.leader() != null ? vote.leader() : "*");
        r.integer(vote != null ? vote.epoch() : 0);
    }

    private void getMasterAddrByName(Client c, byte[][] a) {
        Master m = s.masters.get(Args.text(a[2]));
        RespWriter r = c.reply();
        if (m == null) {
            r.nullArray();
            return;
        }
        InstanceAddress addr = m.currentAddress();
        r.array(2);
        r.bulk(addr.announced(s.announceHostnames));
        r.bulk(addr.port());
    }

    private void failover(Client c, byte[][] a) {
        String error = s.failover.force(master(a[2]));
        if (error != null) {
            throw new CommandError(error);
        }
        c.reply().ok();
    }

    private void pendingScripts(Client c, byte[][] a) {
        List<Object[]> rows = s.scripts.pending();
        RespWriter r = c.reply();
        r.array(rows.size());
        for (Object[] row : rows) {
            r.map(5);
            r.bulk("argv");
            @SuppressWarnings("unchecked")
            List<String> argv = (List<String>) row[0];
            r.array(argv.size());
            argv.forEach(r::bulk);
            r.bulk("flags");
            r.bulk((String) row[1]);
            r.bulk("pid");
            r.bulk((Long) row[2]);
            r.bulk((String) row[3]);
            r.bulk((Long) row[4]);
            r.bulk("retry-num");
            r.bulk((long) (Integer) row[5]);
        }
    }

    // ---------------------------------------------------------------- configuration

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

    /** CKQUORUM: whether enough sentinels are reachable for the quorum and for a majority. */
    private void ckquorum(Client c, byte[][] a) {
        Master m = master(a[2]);
        int usable = 1;
        for (Instance si : m.sentinels.values()) {
            if (!si.isDown()) {
                usable++;
            }
        }
        int voters = m.sentinels.size() + 1;
        boolean noQuorum = usable < m.quorum;
        boolean noAuth = usable < voters / 2 + 1;
        if (!noQuorum && !noAuth) {
            c.reply().simple("OK " + usable + " usable Sentinels. Quorum and failover authorization can be reached");
            return;
        }
        StringBuilder e = new StringBuilder("NOQUORUM " + usable + " usable Sentinels. ");
        if (noQuorum) {
            e.append("Not enough available Sentinels to reach the specified quorum for this master");
        }
        if (noAuth) {
            if (noQuorum) {
                e.append(". ");
            }
            e.append("Not enough available Sentinels to reach the majority and authorize a failover");
        }
        throw new CommandError(e.toString());
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
                    } else if (!value.isEmpty() && !java.nio.file.Files.isExecutable(java.nio.file.Path.of(value))) {
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

    /** INFO-CACHE [name ...]: the last INFO of each primary and its replicas, with its age in ms. */
    private void infoCache(Client c, byte[][] a) {
        List<Master> selected = new ArrayList<>();
        if (a.length > 2) {
            for (int i = 2; i < a.length; i++) {
                Master m = s.masters.get(Args.text(a[i]));
                if (m != null && !selected.contains(m)) {
                    selected.add(m);
                }
            }
        } else {
            selected.addAll(s.masters.values());
        }
        long now = s.now();
        RespWriter r = c.reply();
        r.array(selected.size() * 2L);
        for (Master m : selected) {
            r.bulk(m.name);
            r.array(m.replicas.size() + 1L);
            cachedInfo(r, m, now);
            for (Instance ri : m.replicas.values()) {
                cachedInfo(r, ri, now);
            }
        }
    }

    private static void cachedInfo(RespWriter r, Instance ri, long now) {
        r.array(2);
        r.integer(ri.infoRefreshed != 0 ? now - ri.infoRefreshed : 0);
        if (ri.info == null) {
            r.nullBulk();
        } else {
            r.bulk(ri.info);
        }
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

    // ---------------------------------------------------------------- ROLE and PUBLISH

    private void role(Client c, byte[][] a) {
        RespWriter r = c.reply();
        r.array(2);
        r.bulk("sentinel");
        r.array(s.masters.size());
        for (Master m : s.masters.values()) {
            r.bulk(m.name);
        }
    }

    /** Only hellos may be published to a sentinel: that is how sentinels greet each other directly. */
    private void publish(Client c, byte[][] a) {
        if (!Args.text(a[1]).equals(Sentinel.HELLO_CHANNEL)) {
            throw new CommandError("ERR Only HELLO messages are accepted by Sentinel instances.");
        }
        s.hello.process(Args.text(a[2]));
        c.reply().integer(1);
    }
}
