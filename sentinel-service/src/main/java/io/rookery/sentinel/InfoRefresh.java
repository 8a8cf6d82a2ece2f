package io.rookery.sentinel;

import io.rookery.sentinel.Instance.Flag;
import io.rookery.sentinel.Instance.Kind;
import io.rookery.sentinel.Master.FailoverState;
import io.rookery.sentinel.SentinelEvents.Level;

/**
 * Reads an instance's INFO (the fields Redis Sentinel reads: run_id, the slaveN lines of a primary,
 * role, master_host/port/link_status, master_link_down_since_seconds, slave_priority,
 * slave_repl_offset, replica_announced) and then acts on what changed:
 *
 * <ul>
 *   <li>a new run id is a reboot; a new slaveN line a new replica (+slave);</li>
 *   <li>the promoted replica reporting role master moves its failover on (+promoted-slave);</li>
 *   <li>a replica claiming to be a primary, or following the wrong primary, is re-pointed once the
 *       configuration looks settled (+convert-to-slave, +fix-slave-config);</li>
 *   <li>replicas being re-pointed by a failover advance RECONF_SENT → INPROG → DONE.</li>
 * </ul>
 * None of the acting part runs in TILT.
 */
final class InfoRefresh {
    private final Sentinel s;

    InfoRefresh(Sentinel s) {
        this.s = s;
    }

    void refresh(Instance ri, String info) {
        long now = s.now();
        ri.info = info;
        ri.masterLinkDownTime = 0;
        Kind role = null;
        for (String l : info.split("\r\n")) {
            if (l.length() >= 47 && l.startsWith("run_id:")) {
                String runId = l.substring(7, 47);
                if (ri.runId == null) {
                    ri.runId = runId;
                } else if (!ri.runId.equals(runId)) {
                    s.events.about(Level.NOTICE, "+reboot", ri, "");
                    if (ri instanceof Master m && m.masterRebootDownAfterPeriod != 0) {
                        m.flags.add(Flag.MASTER_REBOOT);
                        m.masterRebootSince = now;
                    }
                    ri.runId = runId;
                }
            }
            if (ri instanceof Master m && l.length() >= 7 && l.startsWith("slave") && Character.isDigit(l.charAt(5))) {
                discoverReplica(m, l);
            }
            if (l.length() >= 32 && l.startsWith("master_link_down_since_seconds")) {
                ri.masterLinkDownTime = LenientNumbers.atol(l.substring(31)) * 1000;
            }
            if (l.startsWith("role:master")) {
                role = Kind.MASTER;
            } else if (l.startsWith("role:slave")) {
                role = Kind.REPLICA;
            }
            if (role == Kind.REPLICA) {
                readReplicaField(ri, l, now);
            }
        }
        ri.infoRefreshed = now;

        if (role != ri.roleReported) {
            ri.roleReportedAt = now;
            ri.roleReported = role;
            if (role == Kind.REPLICA) {
                ri.replicaConfigChangedAt = now;
            }
            s.events.about(Level.VERBOSE, ri.kind == role ? "+role-change" : "-role-change", ri,
                    "new reported role is " + (role == Kind.MASTER ? "master" : "slave"));
        }
        if (s.tilt) {
            return;
        }
        // a primary claiming to be a replica: nothing to do here, it counts as down until it is fixed
        if (ri.kind == Kind.REPLICA && role == Kind.MASTER) {
            replicaNowPrimary(ri, now);
        }
        if (ri.kind == Kind.REPLICA && role == Kind.REPLICA && (ri.replicaMasterPort != ri.master.addr.port()
                || !ri.master.addr.isHost(ri.replicaMasterHost, s.resolveHostnames))) {
            long wait = ri.master.failoverTimeout;
            if (looksSane(ri.master, now) && ri.noDownFor(wait, now) && now - ri.replicaConfigChangedAt > wait) {
                if (s.failover.sendReplicaOf(ri, ri.master.addr)) {
                    s.events.about(Level.NOTICE, "+fix-slave-config", ri, "");
                }
            }
        }
        if (ri.kind == Kind.REPLICA && role == Kind.REPLICA && (ri.is(Flag.RECONF_SENT) || ri.is(Flag.RECONF_INPROG))) {
            Instance promoted = ri.master.promoted;
            if (ri.is(Flag.RECONF_SENT) && ri.replicaMasterHost != null && promoted != null
                    && promoted.addr.isHost(ri.replicaMasterHost, s.resolveHostnames)
                    && ri.replicaMasterPort == promoted.addr.port()) {
                ri.flags.remove(Flag.RECONF_SENT);
                ri.flags.add(Flag.RECONF_INPROG);
                s.events.about(Level.NOTICE, "+slave-reconf-inprog", ri, "");
            }
            if (ri.is(Flag.RECONF_INPROG) && ri.replicaMasterLinkUp) {
                ri.flags.remove(Flag.RECONF_INPROG);
                ri.flags.add(Flag.RECONF_DONE);
                s.events.about(Level.NOTICE, "+slave-reconf-done", ri, "");
            }
        }
    }

    private void discoverReplica(Master m, String line) {
        String ip;
        String port;
        if (!line.contains("ip=")) { // the old format: slave0:<ip>,<port>,<state>
            int colon = line.indexOf(':');
            String[] f = colon < 0 ? new String[0] : line.substring(colon + 1).split(",");
            if (f.length < 3) {
                return;
            }
            ip = f[0];
            port = f[1];
        } else {
            ip = field(line, "ip=");
            port = field(line, "port=");
            if (ip == null || port == null) {
                return;
            }
        }
        int p = (int) LenientNumbers.atol(port);
        if (s.lookupReplica(m, ip, p) == null) {
            try {
                Instance r = s.createReplica(m, ip, p);
                s.events.about(Level.NOTICE, "+slave", r, "");
                s.flushConfig();
            } catch (InstanceRejected e) {
                // an address we cannot use: skip it, as Redis does
            }
        }
    }

    private static String field(String line, String key) {
        int at = line.indexOf(key);
        if (at < 0) {
            return null;
        }
        int start = at + key.length();
        int end = line.indexOf(',', start);
        return line.substring(start, end < 0 ? line.length() : end);
    }

    private void readReplicaField(Instance ri, String l, long now) {
        if (l.startsWith("master_host:")) {
            String host = l.substring(12);
            if (ri.replicaMasterHost == null || !host.equalsIgnoreCase(ri.replicaMasterHost)) {
                ri.replicaMasterHost = host;
                ri.replicaConfigChangedAt = now;
            }
        } else if (l.startsWith("master_port:")) {
            int port = (int) LenientNumbers.atol(l.substring(12));
            if (ri.replicaMasterPort != port) {
                ri.replicaMasterPort = port;
                ri.replicaConfigChangedAt = now;
            }
        } else if (l.startsWith("master_link_status:")) {
            ri.replicaMasterLinkUp = l.substring(19).equalsIgnoreCase("up");
        } else if (l.startsWith("slave_priority:")) {
            ri.replicaPriority = (int) LenientNumbers.atol(l.substring(15));
        } else if (l.startsWith("slave_repl_offset:")) {
            ri.replicaOffset = LenientNumbers.atol(l.substring(18));
        } else if (l.startsWith("replica_announced:")) {
            ri.replicaAnnounced = LenientNumbers.atol(l.substring(18)) != 0;
        }
    }

    /**
     * A replica reports role master. If it is the one this failover promoted, the failover moves to
     * re-pointing the others; otherwise, after things settle, it is turned back into a replica.
     */
    private void replicaNowPrimary(Instance ri, long now) {
        Master m = ri.master;
        if (ri.is(Flag.PROMOTED) && m.is(Flag.FAILOVER_IN_PROGRESS) && m.failoverState == FailoverState.WAIT_PROMOTION) {
            // the promotion is confirmed: claim the epoch we won, so other sentinels adopt our configuration
            m.configEpoch = m.failoverEpoch;
            m.failoverState = FailoverState.RECONF_SLAVES;
            m.failoverStateChangedAt = now;
            s.flushConfig();
            s.events.about(Level.WARNING, "+promoted-slave", ri, "");
            s.failover.crashIfSimulated(Failover.CRASH_AFTER_PROMOTION);
            s.events.about(Level.WARNING, "+failover-state-reconf-slaves", m, "");
            s.scripts.clientReconfig(m, "leader", "start", m.addr, ri.addr);
            s.hello.forceUpdate(m);
            s.failover.reconfigureNextReplicas(m);
        } else {
            long wait = s.timings.publishPeriod * 4;
            if (!ri.is(Flag.PROMOTED) && looksSane(m, now) && ri.noDownFor(wait, now) && now - ri.roleReportedAt > wait) {
                if (s.failover.sendReplicaOf(ri, m.addr)) {
                    s.events.about(Level.NOTICE, "+convert-to-slave", ri, "");
                }
            }
        }
    }

    /** A primary that is one in our configuration, says so itself, is not down, and sent INFO lately. */
    boolean looksSane(Master m, long now) {
        return m.roleReported == Kind.MASTER && !m.isDown() && now - m.infoRefreshed < s.timings.infoPeriod * 2;
    }
}
