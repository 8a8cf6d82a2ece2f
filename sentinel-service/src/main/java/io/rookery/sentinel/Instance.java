package io.rookery.sentinel;

import java.util.EnumSet;

/**
 * One instance a sentinel knows about: a monitored primary ({@link Master}), one of its replicas, or
 * another sentinel watching it. Holds what was learned about it (INFO, hellos, votes) and the flags
 * failure detection and failover set. Replicas and sentinels belong to exactly one primary.
 */
class Instance {

    enum Kind {
        MASTER("master"), REPLICA("slave"), SENTINEL("sentinel");

        final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }
    }

    /** Redis Sentinel's SRI_* state flags, reported by SENTINEL MASTER/REPLICAS/SENTINELS. */
    enum Flag {
        S_DOWN("s_down"), O_DOWN("o_down"), MASTER_DOWN("master_down"), FAILOVER_IN_PROGRESS("failover_in_progress"),
        PROMOTED("promoted"), RECONF_SENT("reconf_sent"), RECONF_INPROG("reconf_inprog"), RECONF_DONE("reconf_done"),
        FORCE_FAILOVER("force_failover"), SCRIPT_KILL_SENT("script_kill_sent"), MASTER_REBOOT("master_reboot");

        final String wireName;

        Flag(String wireName) {
            this.wireName = wireName;
        }
    }

    final Kind kind;
    final Master master;
    final EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
    /** The primary's configured name; "ip:port" for a replica; the run id for a sentinel. */
    final String name;
    String runId;
    InstanceAddress addr;
    InstanceLink link;
    /** Set once the instance is dropped: late replies addressed to it are ignored. */
    boolean released;

    long lastPublished;
    long lastHello;
    long lastMasterDownReply;
    long sDownSince;
    long oDownSince;
    long downAfterPeriod;
    long infoRefreshed;
    String info;

    /** The role the instance last reported in INFO, and since when. */
    Kind roleReported;
    long roleReportedAt;
    long replicaConfigChangedAt;

    // replica facts from its INFO
    long masterLinkDownTime;
    int replicaPriority = 100;
    boolean replicaAnnounced = true;
    long reconfSentAt;
    String replicaMasterHost;
    int replicaMasterPort;
    boolean replicaMasterLinkUp;
    long replicaOffset;

    /** For a primary: the sentinel we voted leader. For a sentinel: whom it voted for. And in which epoch. */
    String leader;
    long leaderEpoch;

    Instance(Kind kind, String name, InstanceAddress addr, Master master, long downAfterPeriod, long now) {
        this.kind = kind;
        this.name = name;
        this.addr = addr;
        this.master = master;
        this.downAfterPeriod = downAfterPeriod;
        this.link = new InstanceLink(now);
        this.lastPublished = now;
        this.lastHello = now;
        this.lastMasterDownReply = now;
        this.roleReported = kind == Kind.SENTINEL ? null : kind;
        this.roleReportedAt = now;
        this.replicaConfigChangedAt = now;
    }

    /**
     * Restarts the clocks that were set when the instance was configured, so the time between reading
     * the configuration and starting the sentinel does not count as silence.
     */
    void startClocks(long now) {
        link.activePingSince = now;
        link.lastAvailable = now;
        link.lastPongReceived = now;
        lastPublished = now;
        lastHello = now;
        lastMasterDownReply = now;
        roleReportedAt = now;
        replicaConfigChangedAt = now;
    }

    boolean is(Flag f) {
        return flags.contains(f);
    }

    boolean isDown() {
        return flags.contains(Flag.S_DOWN) || flags.contains(Flag.O_DOWN);
    }

    /** The primary this instance answers to: itself for a primary. */
    Master owner() {
        return master != null ? master : (Master) this;
    }

    /** True when neither SDOWN nor ODOWN was entered within the last {@code ms}. */
    boolean noDownFor(long ms, long now) {
        long mostRecent = Math.max(sDownSince, oDownSince);
        return mostRecent == 0 || now - mostRecent > ms;
    }

    /** The flags as SENTINEL MASTER prints them ("master,disconnected"). */
    String flagList() {
        StringBuilder b = new StringBuilder();
        appendIf(b, is(Flag.S_DOWN), "s_down");
        appendIf(b, is(Flag.O_DOWN), "o_down");
        appendIf(b, true, kind.wireName);
        appendIf(b, link.disconnected, "disconnected");
        for (Flag f : new Flag[]{Flag.MASTER_DOWN, Flag.FAILOVER_IN_PROGRESS, Flag.PROMOTED, Flag.RECONF_SENT,
                Flag.RECONF_INPROG, Flag.RECONF_DONE, Flag.FORCE_FAILOVER, Flag.SCRIPT_KILL_SENT}) {
            appendIf(b, is(f), f.wireName);
        }
        return b.toString();
    }

    private static void appendIf(StringBuilder b, boolean on, String name) {
        if (on) {
            b.append(b.length() == 0 ? "" : ",").append(name);
        }
    }
}
