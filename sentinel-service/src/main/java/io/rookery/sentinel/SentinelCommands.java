package io.rookery.sentinel;

import io.rookery.node.client.Client;
import io.rookery.node.command.Help;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.protocol.RespWriter;
import io.rookery.sentinel.Instance.Flag;
import io.rookery.sentinel.Instance.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SENTINEL command's queries (listings, addresses, votes, quorum checks, forced failover) and the
 * sentinel's own ROLE and PUBLISH, with redis-sentinel's replies and error texts; the commands that
 * change the configuration are {@link SentinelConfigCommands}. (Arity and unknown subcommands are the
 * dispatcher's, from the sentinel command table.)
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
                .register("sentinel|ckquorum", this::ckquorum)
                .register("sentinel|info-cache", this::infoCache)
                .register("role", this::role)
                .register("publish", this::publish);
        new SentinelConfigCommands(s).register(r);
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

    /** The primary of that name, or the error SENTINEL commands give for an unknown one. */
    static Master master(Sentinel s, byte[] name) {
        Master m = s.masters.get(Args.text(name));
        if (m == null) {
            throw new CommandError("ERR No such master with that name");
        }
        return m;
    }

    private Master master(byte[] name) {
        return master(s, name);
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
        List<NotificationScripts.Pending> scripts = s.scripts.pending();
        RespWriter r = c.reply();
        r.array(scripts.size());
        for (NotificationScripts.Pending p : scripts) {
            r.map(5);
            r.bulk("argv");
            r.array(p.argv().size());
            p.argv().forEach(r::bulk);
            r.bulk("flags");
            r.bulk(p.running() ? "running" : "scheduled");
            r.bulk("pid");
            r.bulk(p.pid());
            r.bulk(p.running() ? "run-time" : "run-delay");
            r.bulk(p.millis());
            r.bulk("retry-num");
            r.bulk((long) p.retries());
        }
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
