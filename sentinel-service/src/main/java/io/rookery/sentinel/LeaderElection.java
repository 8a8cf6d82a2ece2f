package io.rookery.sentinel;

import io.rookery.sentinel.SentinelEvents.Level;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who may fail a primary over in an epoch. Each sentinel votes once per epoch, for the first
 * candidate that asks (or, when counting, for the most voted one, or itself); a candidate leads when
 * it holds an absolute majority of all the sentinels known for the primary and at least the quorum.
 * An election nobody wins is retried in a later epoch after a randomized delay.
 */
final class LeaderElection {
    private final Sentinel s;

    LeaderElection(Sentinel s) {
        this.s = s;
    }

    /** A vote: for whom, in which epoch (null leader: none cast). */
    record Vote(String leader, long epoch) {
    }

    /**
     * Votes for {@code candidate} in {@code epoch} unless we already voted in it or a later one; either
     * way returns our vote. Voting for another sentinel delays our own failover attempts.
     */
    Vote vote(Master m, long epoch, String candidate) {
        if (Long.compareUnsigned(epoch, s.currentEpoch) > 0) {
            s.currentEpoch = epoch;
            s.flushConfig();
            s.events.emit(Level.WARNING, "+new-epoch", m, Long.toUnsignedString(s.currentEpoch));
        }
        if (Long.compareUnsigned(m.leaderEpoch, epoch) < 0 && Long.compareUnsigned(s.currentEpoch, epoch) <= 0) {
            m.leader = candidate;
            m.leaderEpoch = s.currentEpoch;
            s.flushConfig();
            s.events.emit(Level.WARNING, "+vote-for-leader", m, m.leader + " " + Long.toUnsignedString(m.leaderEpoch));
            if (!m.leader.equalsIgnoreCase(s.myId)) {
                m.failoverStartedAt = s.now() + s.random.nextInt(Sentinel.MAX_DESYNC);
            }
        }
        return new Vote(m.leader, m.leaderEpoch);
    }

    /** The leader for {@code epoch}, counting the other sentinels' latest votes and ours; null if none yet. */
    String leader(Master m, long epoch) {
        Map<String, Integer> counters = new LinkedHashMap<>();
        int voters = m.sentinels.size() + 1;
        for (Instance ri : m.sentinels.values()) {
            if (ri.leader != null && ri.leaderEpoch == s.currentEpoch) {
                counters.merge(ri.leader, 1, Integer::sum);
            }
        }
        String winner = null;
        int maxVotes = 0;
        for (Map.Entry<String, Integer> e : counters.entrySet()) {
            if (e.getValue() > maxVotes) {
                maxVotes = e.getValue();
                winner = e.getKey();
            }
        }
        Vote mine = vote(m, epoch, winner != null ? winner : s.myId);
        if (mine.leader() != null && mine.epoch() == epoch) {
            int votes = counters.merge(mine.leader(), 1, Integer::sum);
            if (votes > maxVotes) {
                maxVotes = votes;
                winner = mine.leader();
            }
        }
        int majority = voters / 2 + 1;
        if (winner != null && (maxVotes < majority || maxVotes < m.quorum)) {
            winner = null;
        }
        return winner;
    }
}
