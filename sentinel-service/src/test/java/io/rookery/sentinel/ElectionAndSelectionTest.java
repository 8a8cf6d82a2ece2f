package io.rookery.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.sentinel.Instance.Flag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decisions of a failover, without sockets: which replica, and who leads. */
class ElectionAndSelectionTest {
    private static final String ME = "a".repeat(40);
    private static final String PEER1 = "b".repeat(40);
    private static final String PEER2 = "c".repeat(40);

    @TempDir
    Path dir;
    Sentinel s;
    Master m;

    @BeforeEach
    void sentinelWatchingOnePrimary() throws IOException, ConfigException, InstanceRejected {
        Path file = dir.resolve("sentinel.conf");
        Files.write(file, List.of("sentinel myid " + ME, "sentinel monitor m 127.0.0.1 6379 2"));
        s = Sentinel.open(file, false, c -> { });
        m = s.masters.get("m");
        s.createSentinel(m, PEER1, "127.0.0.1", 26380);
        s.createSentinel(m, PEER2, "127.0.0.1", 26381);
    }

    /** A replica that answers and reported INFO just now. */
    private Instance healthyReplica(int port, int priority, long offset, String runId) throws InstanceRejected {
        Instance r = s.createReplica(m, "127.0.0.1", port);
        long now = s.now();
        r.link.disconnected = false;
        r.link.lastAvailable = now;
        r.infoRefreshed = now;
        r.replicaPriority = priority;
        r.replicaOffset = offset;
        r.runId = runId;
        return r;
    }

    @Test
    void theBestReplicaHasTheLowestPriorityThenTheMostDataThenTheSmallestRunId() throws Exception {
        healthyReplica(7001, 100, 500, "e".repeat(40));
        Instance mostData = healthyReplica(7002, 100, 900, "f".repeat(40));
        healthyReplica(7003, 100, 900, null);
        assertThat(s.failover.selectReplica(m)).isSameAs(mostData);
        Instance preferred = healthyReplica(7004, 10, 1, "9".repeat(40));
        assertThat(s.failover.selectReplica(m)).isSameAs(preferred);
        Instance sameButSmallerId = healthyReplica(7005, 10, 1, "0".repeat(40));
        assertThat(s.failover.selectReplica(m)).isSameAs(sameButSmallerId);
    }

    @Test
    void downDisconnectedSilentStaleAndPriorityZeroReplicasAreNeverChosen() throws Exception {
        healthyReplica(7001, 0, 1000, "1".repeat(40));
        healthyReplica(7002, 1, 1000, "2".repeat(40)).flags.add(Flag.S_DOWN);
        healthyReplica(7003, 1, 1000, "3".repeat(40)).link.disconnected = true;
        healthyReplica(7004, 1, 1000, "4".repeat(40)).link.lastAvailable = s.now() - 6_000;
        healthyReplica(7005, 1, 1000, "5".repeat(40)).infoRefreshed = s.now() - 31_000;
        healthyReplica(7006, 1, 1000, "6".repeat(40)).masterLinkDownTime = m.downAfterPeriod * 10 + 1;
        assertThat(s.failover.selectReplica(m)).isNull();
        Instance fine = healthyReplica(7007, 100, 0, "7".repeat(40));
        assertThat(s.failover.selectReplica(m)).isSameAs(fine);
    }

    @Test
    void aSentinelVotesOncePerEpochForTheFirstCandidate() {
        LeaderElection.Vote first = s.election.vote(m, 1, PEER1);
        assertThat(first).isEqualTo(new LeaderElection.Vote(PEER1, 1));
        assertThat(s.currentEpoch).isEqualTo(1);
        assertThat(s.election.vote(m, 1, PEER2)).isEqualTo(new LeaderElection.Vote(PEER1, 1));
        assertThat(s.election.vote(m, 2, PEER2)).isEqualTo(new LeaderElection.Vote(PEER2, 2));
        // voting for another delays our own attempts
        assertThat(m.failoverStartedAt).isGreaterThan(s.now() - 10);
    }

    @Test
    void aLeaderNeedsAMajorityOfAllKnownSentinelsAndTheQuorum() {
        s.currentEpoch = 5;
        // nobody else voted: our own vote alone is 1 of 3
        assertThat(s.election.leader(m, 5)).isNull();
        m.leader = null;
        m.leaderEpoch = 0;
        // one peer voted for us in this epoch: 2 of 3, quorum 2
        Instance peer = m.sentinels.get(PEER1);
        peer.leader = ME;
        peer.leaderEpoch = 5;
        assertThat(s.election.leader(m, 5)).isEqualTo(ME);
        // with quorum 3, two votes are not enough even though they are a majority
        m.quorum = 3;
        assertThat(s.election.leader(m, 5)).isNull();
    }

    @Test
    void votesFromAnOlderEpochDoNotCount() {
        s.currentEpoch = 6;
        for (Instance peer : m.sentinels.values()) {
            peer.leader = PEER1;
            peer.leaderEpoch = 5;
        }
        assertThat(s.election.leader(m, 6)).isNull();
    }

    @Test
    void anAbandonedAttemptIsRetriedOnlyAfterTwiceTheFailoverTimeoutInANewEpoch() {
        m.flags.add(Flag.O_DOWN);
        assertThat(s.failover.startIfNeeded(m)).isTrue();
        assertThat(m.failoverEpoch).isEqualTo(1);
        s.failover.abort(m);
        assertThat(s.failover.startIfNeeded(m)).isFalse();
        m.failoverStartedAt = s.now() - m.failoverTimeout * 2 - 1;
        assertThat(s.failover.startIfNeeded(m)).isTrue();
        assertThat(m.failoverEpoch).isEqualTo(2);
        assertThat(m.is(Flag.FAILOVER_IN_PROGRESS)).isTrue();
    }
}
