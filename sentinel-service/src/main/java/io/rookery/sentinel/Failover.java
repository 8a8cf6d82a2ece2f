package io.rookery.sentinel;

import io.rookery.sentinel.Instance.Flag;
import io.rookery.sentinel.Master.FailoverState;
import io.rookery.sentinel.SentinelEvents.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failover of a primary, as Redis Sentinel runs it:
 *
 * <pre>
 * ODOWN (and no attempt within 2 × failover-timeout) → +new-epoch, +try-failover   WAIT_START
 *   leader of the epoch? (else abort after min(election timeout, failover-timeout)) → +elected-leader
 *   choose a replica (else -failover-abort-no-good-slave) → +selected-slave           SELECT_SLAVE
 *   MULTI; REPLICAOF NO ONE; CONFIG REWRITE; CLIENT KILL normal+pubsub; EXEC           SEND_SLAVEOF_NOONE
 *   INFO shows it primary → +promoted-slave (config epoch := failover epoch)          WAIT_PROMOTION
 *   re-point the others, parallel-syncs at a time → +slave-reconf-sent/inprog/done     RECONF_SLAVES
 *   all reachable ones done (or failover-timeout) → +failover-end                      UPDATE_CONFIG
 *   → +switch-master: the promoted replica is the primary, the old one its replica
 * </pre>
 *
 * A replica is eligible if it is not down or disconnected, answered PING within 5 ping periods,
 * sent INFO recently, did not lose its primary for too long and has a non-zero priority; the best has
 * the lowest priority, then the largest replication offset, then the smallest run id.
 */
final class Failover {
    static final int CRASH_AFTER_ELECTION = 1;
    static final int CRASH_AFTER_PROMOTION = 2;
    private static final Logger LOG = LoggerFactory.getLogger(Failover.class);

    private final Sentinel s;

    Failover(Sentinel s) {
        this.s = s;
    }

    /** Starts a failover of {@code m} when it is ODOWN, none runs, and the last attempt is old enough. */
    boolean startIfNeeded(Master m) {
        if (!m.is(Flag.O_DOWN) || m.is(Flag.FAILOVER_IN_PROGRESS)) {
            return false;
        }
        long now = s.now();
        if (now - m.failoverStartedAt < m.failoverTimeout * 2) {
            if (m.failoverDelayLogged != m.failoverStartedAt) {
                m.failoverDelayLogged = m.failoverStartedAt;
                LOG.warn("Next failover delay: I will not start a failover before {}",
                        Instant.ofEpochMilli(m.failoverStartedAt + m.failoverTimeout * 2));
            }
            return false;
        }
        start(m);
        return true;
    }

    void start(Master m) {
        m.failoverState = FailoverState.WAIT_START;
        m.flags.add(Flag.FAILOVER_IN_PROGRESS);
        m.failoverEpoch = ++s.currentEpoch;
        s.events.emit(Level.WARNING, "+new-epoch", m, Long.toUnsignedString(s.currentEpoch));
        s.events.about(Level.WARNING, "+try-failover", m, "");
        m.failoverStartedAt = s.now() + s.random.nextInt(Sentinel.MAX_DESYNC);
        m.failoverStateChangedAt = s.now();
    }

    /** SENTINEL FAILOVER: null when started, else the error reply. */
    String force(Master m) {
        if (m == null) {
            return "ERR No such master with that name";
        }
        if (m.is(Flag.FAILOVER_IN_PROGRESS)) {
            return "INPROG Failover already in progress";
        }
        if (selectReplica(m) == null) {
            return "NOGOODSLAVE No suitable replica to promote";
        }
        LOG.warn("Executing user requested FAILOVER of '{}'", m.name);
        start(m);
        m.flags.add(Flag.FORCE_FAILOVER);
        return null;
    }

    void step(Master m) {
        if (!m.is(Flag.FAILOVER_IN_PROGRESS)) {
            return;
        }
        switch (m.failoverState) {
            case WAIT_START -> waitStart(m);
            case SELECT_SLAVE -> selectSlave(m);
            case SEND_SLAVEOF_NOONE -> sendSlaveOfNoOne(m);
            case WAIT_PROMOTION -> waitPromotion(m);
            case RECONF_SLAVES -> reconfigureNextReplicas(m);
            default -> { }
        }
    }

    private void waitStart(Master m) {
        String leader = s.election.leader(m, m.failoverEpoch);
        boolean isLeader = leader != null && leader.equalsIgnoreCase(s.myId);
        if (!isLeader && !m.is(Flag.FORCE_FAILOVER)) {
            long electionTimeout = Math.min(s.timings.electionTimeout, m.failoverTimeout);
            if (s.now() - m.failoverStartedAt > electionTimeout) {
                s.events.about(Level.WARNING, "-failover-abort-not-elected", m, "");
                abort(m);
            }
            return;
        }
        s.events.about(Level.WARNING, "+elected-leader", m, "");
        crashIfSimulated(CRASH_AFTER_ELECTION);
        m.failoverState = FailoverState.SELECT_SLAVE;
        m.failoverStateChangedAt = s.now();
        s.events.about(Level.WARNING, "+failover-state-select-slave", m, "");
        selectSlave(m); // no reason to wait for the next timer pass
    }

    private void selectSlave(Master m) {
        Instance replica = selectReplica(m);
        if (replica == null) {
            s.events.about(Level.WARNING, "-failover-abort-no-good-slave", m, "");
            abort(m);
            return;
        }
        s.events.about(Level.WARNING, "+selected-slave", replica, "");
        replica.flags.add(Flag.PROMOTED);
        m.promoted = replica;
        m.failoverState = FailoverState.SEND_SLAVEOF_NOONE;
        m.failoverStateChangedAt = s.now();
        s.events.about(Level.NOTICE, "+failover-state-send-slaveof-noone", replica, "");
        sendSlaveOfNoOne(m);
    }

    private void sendSlaveOfNoOne(Master m) {
        Instance promoted = m.promoted;
        if (promoted.link.disconnected) {
            if (s.now() - m.failoverStateChangedAt > m.failoverTimeout) {
                s.events.about(Level.WARNING, "-failover-abort-slave-timeout", m, "");
                abort(m);
            }
            return;
        }
        if (!sendReplicaOf(promoted, null)) {
            return;
        }
        s.events.about(Level.NOTICE, "+failover-state-wait-promotion", promoted, "");
        m.failoverState = FailoverState.WAIT_PROMOTION;
        m.failoverStateChangedAt = s.now();
        // the role switch is confirmed by INFO; ask right behind the transaction rather than wait
        // for the next periodic one
        s.monitor.requestInfo(promoted);
    }

    private void waitPromotion(Master m) {
        if (s.now() - m.failoverStateChangedAt > m.failoverTimeout) {
            s.events.about(Level.WARNING, "-failover-abort-slave-timeout", m, "");
            abort(m);
        }
    }

    /** Re-points replicas at the promoted one, at most parallel-syncs in flight; then checks for the end. */
    void reconfigureNextReplicas(Master m) {
        int inProgress = 0;
        for (Instance r : m.replicas.values()) {
            if (r.is(Flag.RECONF_SENT) || r.is(Flag.RECONF_INPROG)) {
                inProgress++;
            }
        }
        long now = s.now();
        for (Instance r : m.replicas.values()) {
            if (inProgress >= m.parallelSyncs) {
                break;
            }
            if (r.is(Flag.PROMOTED) || r.is(Flag.RECONF_DONE)) {
                continue;
            }
            // stuck since the command went out: count it done; a later INFO check will fix it
            if (r.is(Flag.RECONF_SENT) && now - r.reconfSentAt > s.timings.replicaReconfTimeout) {
                s.events.about(Level.NOTICE, "-slave-reconf-sent-timeout", r, "");
                r.flags.remove(Flag.RECONF_SENT);
                r.flags.add(Flag.RECONF_DONE);
            }
            if (r.is(Flag.RECONF_SENT) || r.is(Flag.RECONF_INPROG) || r.link.disconnected) {
                continue;
            }
            if (sendReplicaOf(r, m.promoted.addr)) {
                r.flags.add(Flag.RECONF_SENT);
                r.reconfSentAt = now;
                s.events.about(Level.NOTICE, "+slave-reconf-sent", r, "");
                inProgress++;
                s.monitor.requestInfo(r); // shows the new primary at once: RECONF_SENT → INPROG
            }
        }
        detectEnd(m);
    }

    private void detectEnd(Master m) {
        if (m.promoted == null || m.promoted.is(Flag.S_DOWN)) {
            return;
        }
        int notReconfigured = 0;
        for (Instance r : m.replicas.values()) {
            if (r.is(Flag.PROMOTED) || r.is(Flag.RECONF_DONE) || r.is(Flag.S_DOWN)) {
                continue;
            }
            notReconfigured++;
        }
        boolean timeout = false;
        if (s.now() - m.failoverStateChangedAt > m.failoverTimeout) {
            notReconfigured = 0;
            timeout = true;
            s.events.about(Level.WARNING, "+failover-end-for-timeout", m, "");
        }
        if (notReconfigured == 0) {
            s.events.about(Level.WARNING, "+failover-end", m, "");
            m.failoverState = FailoverState.UPDATE_CONFIG;
            m.failoverStateChangedAt = s.now();
        }
        if (timeout) {
            // best effort: tell the stragglers anyway
            for (Instance r : m.replicas.values()) {
                if (r.is(Flag.PROMOTED) || r.is(Flag.RECONF_DONE) || r.is(Flag.RECONF_SENT) || r.link.disconnected) {
                    continue;
                }
                if (sendReplicaOf(r, m.promoted.addr)) {
                    s.events.about(Level.NOTICE, "+slave-reconf-sent-be", r, "");
                    r.flags.add(Flag.RECONF_SENT);
                }
            }
        }
    }

    /** UPDATE_CONFIG: the promoted replica becomes the primary under the same name. */
    void switchToPromoted(Master m) {
        Instance ref = m.promoted != null ? m.promoted : m;
        s.events.emit(Level.WARNING, "+switch-master", m, m.name + " " + m.addr.announced(s.announceHostnames) + " "
                + m.addr.port() + " " + ref.addr.announced(s.announceHostnames) + " " + ref.addr.port());
        try {
            s.resetMasterAndChangeAddress(m, ref.addr.hostname(), ref.addr.port());
        } catch (InstanceRejected e) {
            LOG.warn("could not switch {} to {}: {}", m.name, ref.addr, e.getMessage());
        }
    }

    /** Only before the promoted replica acknowledged: after that a failover runs to its end. */
    void abort(Master m) {
        m.flags.remove(Flag.FAILOVER_IN_PROGRESS);
        m.flags.remove(Flag.FORCE_FAILOVER);
        m.failoverState = FailoverState.NONE;
        m.failoverStateChangedAt = s.now();
        if (m.promoted != null) {
            m.promoted.flags.remove(Flag.PROMOTED);
            m.promoted = null;
        }
    }

    /** The replica to promote, or null; see the class comment for the rules. */
    Instance selectReplica(Master m) {
        long now = s.now();
        long maxMasterDownTime = (m.is(Flag.S_DOWN) ? now - m.sDownSince : 0) + m.downAfterPeriod * 10;
        long infoValidity = m.is(Flag.S_DOWN) ? s.timings.pingPeriod * 5 : s.timings.infoPeriod * 3;
        List<Instance> candidates = new ArrayList<>();
        for (Instance r : m.replicas.values()) {
            if (r.isDown() || r.link.disconnected || now - r.link.lastAvailable > s.timings.pingPeriod * 5
                    || r.replicaPriority == 0 || now - r.infoRefreshed > infoValidity
                    || r.masterLinkDownTime > maxMasterDownTime) {
                continue;
            }
            candidates.add(r);
        }
        return candidates.stream().min(PROMOTION_ORDER).orElse(null);
    }

    /** Better first: lower priority, then more replicated data, then the smaller run id (unknown last). */
    static final Comparator<Instance> PROMOTION_ORDER = Comparator
            .comparingInt((Instance r) -> r.replicaPriority)
            .thenComparing((a, b) -> Long.compareUnsigned(b.replicaOffset, a.replicaOffset))
            .thenComparing(r -> r.runId, Comparator.nullsLast(String.CASE_INSENSITIVE_ORDER));

    /**
     * Re-points {@code r} ({@code to} null: REPLICAOF NO ONE) in one transaction that also rewrites its
     * config file and disconnects its normal and pub/sub clients, so they reconnect and ask the
     * sentinels where the primary is now. Replies are not checked: INFO shows the effect.
     */
    boolean sendReplicaOf(Instance r, InstanceAddress to) {
        Master m = r.owner();
        String host = to == null ? "NO" : to.announced(s.announceHostnames);
        String port = to == null ? "ONE" : Integer.toString(to.port());
        InstanceLink link = r.link;
        if (!link.send(x -> { }, m.command("MULTI"))) {
            return false;
        }
        link.send(x -> { }, m.command("SLAVEOF"), host, port);
        link.send(x -> { }, m.command("CONFIG"), "REWRITE");
        link.send(x -> { }, m.command("CLIENT"), "KILL", "TYPE", "normal");
        link.send(x -> { }, m.command("CLIENT"), "KILL", "TYPE", "pubsub");
        link.send(x -> { }, m.command("EXEC"));
        return true;
    }

    void crashIfSimulated(int which) {
        if ((s.simulatedFailures & which) != 0) {
            LOG.warn("Sentinel CRASH because of SENTINEL simulate-failure");
            s.crash.run();
        }
    }
}
