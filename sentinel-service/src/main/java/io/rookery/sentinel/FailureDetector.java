package io.rookery.sentinel;

import io.rookery.protocol.RespValue;
import io.rookery.sentinel.Instance.Flag;
import io.rookery.sentinel.Instance.Kind;
import io.rookery.sentinel.Master.FailoverState;
import io.rookery.sentinel.SentinelEvents.Level;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subjective and objective down states.
 *
 * <p>SDOWN: no acceptable PING answer for down-after-milliseconds (measured from the oldest
 * unanswered PING, or from the last good answer while disconnected); or a primary that has reported
 * role slave for down-after plus two INFO periods; or a rebooted primary still not answering PONG
 * after master-reboot-down-after-period. ODOWN: this sentinel's SDOWN plus enough other sentinels
 * reporting the primary down (SENTINEL IS-MASTER-DOWN-BY-ADDR) to reach the quorum. The same request,
 * once a failover has started, carries our run id and asks for a vote.
 *
 * <p>Links that look stuck are reconnected: a command connection older than the minimum reconnect
 * period with a PING pending for half the down period, and a pub/sub connection silent for three
 * publish periods.
 */
final class FailureDetector {
    private static final Logger LOG = LoggerFactory.getLogger(FailureDetector.class);

    private final Sentinel s;

    FailureDetector(Sentinel s) {
        this.s = s;
    }

    void checkSubjectivelyDown(Instance ri) {
        long now = s.now();
        InstanceLink link = ri.link;
        long elapsed = 0;
        if (link.activePingSince != 0) {
            elapsed = now - link.activePingSince;
        } else if (link.disconnected) {
            elapsed = now - link.lastAvailable;
        }
        if (link.commands != null && now - link.commandsConnectedAt > s.timings.minLinkReconnectPeriod
                && link.activePingSince != 0 && now - link.activePingSince > ri.downAfterPeriod / 2
                && now - link.lastPongReceived > ri.downAfterPeriod / 2) {
            link.close(link.commands);
        }
        if (link.pubsub != null && now - link.pubsubConnectedAt > s.timings.minLinkReconnectPeriod
                && now - link.pubsubLastActivity > s.timings.publishPeriod * 3) {
            link.close(link.pubsub);
        }
        boolean down = elapsed > ri.downAfterPeriod
                || ri.kind == Kind.MASTER && ri.roleReported == Kind.REPLICA
                        && now - ri.roleReportedAt > ri.downAfterPeriod + s.timings.infoPeriod * 2
                || ri instanceof Master m && m.is(Flag.MASTER_REBOOT)
                        && now - m.masterRebootSince > m.masterRebootDownAfterPeriod;
        if (down) {
            if (!ri.is(Flag.S_DOWN)) {
                s.events.about(Level.WARNING, "+sdown", ri, "");
                ri.sDownSince = now;
                ri.flags.add(Flag.S_DOWN);
            }
        } else if (ri.is(Flag.S_DOWN)) {
            s.events.about(Level.WARNING, "-sdown", ri, "");
            ri.flags.remove(Flag.S_DOWN);
            ri.flags.remove(Flag.SCRIPT_KILL_SENT);
        }
    }

    /** ODOWN is a weak quorum: enough sentinels said "down" lately, not all at the same instant. */
    void checkObjectivelyDown(Master m) {
        int quorum = 0;
        boolean odown = false;
        if (m.is(Flag.S_DOWN)) {
            quorum = 1;
            for (Instance other : m.sentinels.values()) {
                if (other.is(Flag.MASTER_DOWN)) {
                    quorum++;
                }
            }
            odown = quorum >= m.quorum;
        }
        if (odown) {
            if (!m.is(Flag.O_DOWN)) {
                s.events.about(Level.WARNING, "+odown", m, "#quorum " + quorum + "/" + m.quorum);
                m.flags.add(Flag.O_DOWN);
                m.oDownSince = s.now();
            }
        } else if (m.is(Flag.O_DOWN)) {
            s.events.about(Level.WARNING, "-odown", m, "");
            m.flags.remove(Flag.O_DOWN);
        }
    }

    /**
     * While we see {@code m} down, asks each connected sentinel (at most once per ask period unless
     * {@code forced}) whether it does too; during a failover the request also asks for its vote.
     * Answers older than five ask periods no longer count.
     */
    void askOtherSentinels(Master m, boolean forced) {
        long now = s.now();
        for (Instance ri : m.sentinels.values()) {
            if (now - ri.lastMasterDownReply > s.timings.askPeriod * 5) {
                ri.flags.remove(Flag.MASTER_DOWN);
                ri.leader = null;
            }
            if (!m.is(Flag.S_DOWN) || ri.link.disconnected) {
                continue;
            }
            if (!forced && now - ri.lastMasterDownReply < s.timings.askPeriod) {
                continue;
            }
            String candidate = m.failoverState != FailoverState.NONE ? s.myId : "*";
            ri.link.send(reply -> isMasterDownReply(ri, reply), m.command("SENTINEL"), "is-master-down-by-addr",
                    m.addr.announced(s.announceHostnames), Integer.toString(m.addr.port()),
                    Long.toUnsignedString(s.currentEpoch), candidate);
        }
    }

    /** The reply: [down 0/1, the run id voted for or "*", the epoch of that vote]. Anything else is ignored. */
    private void isMasterDownReply(Instance ri, RespValue reply) {
        if (ri.released || !(reply instanceof RespValue.Array a)) {
            return;
        }
        List<RespValue> e = a.elements();
        if (e.size() != 3 || !(e.get(0) instanceof RespValue.Integer down) || !(e.get(1) instanceof RespValue.BulkString leader)
                || !(e.get(2) instanceof RespValue.Integer epoch)) {
            return;
        }
        ri.lastMasterDownReply = s.now();
        if (down.value() == 1) {
            ri.flags.add(Flag.MASTER_DOWN);
        } else {
            ri.flags.remove(Flag.MASTER_DOWN);
        }
        if (!leader.text().equals("*")) {
            if (ri.leaderEpoch != epoch.value()) {
                LOG.warn("{} voted for {} {}", ri.name, leader.text(), Long.toUnsignedString(epoch.value()));
            }
            ri.leader = leader.text();
            ri.leaderEpoch = epoch.value();
        }
    }
}
