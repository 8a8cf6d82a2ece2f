package io.rookery.admin.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.admin.cluster.ClusterNodeEntry;
import io.rookery.admin.cluster.ClusterNodesParser;
import io.rookery.admin.cluster.ClusterSnapshot;
import io.rookery.admin.cluster.NodeState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a failed job's log says: the unreachable node, the open slots with addresses, and the way out. */
class FailureReportTest {
    private static final String A = "aaaa";
    private static final String B = "bbbb";
    private static final JobStep MOVE_0 = JobStep.of(StepKind.MOVE, 0, A, B, null).numbered(7, 0)
            .withState(StepState.FAILED, "127.0.0.1:7000 refused MIGRATE: IOERR error or timeout connecting to the client");

    private static NodeState reached(String self, String other) {
        List<ClusterNodeEntry> view = ClusterNodesParser.parse(self + "\n" + other);
        return new NodeState(view.get(0), view, "ok", Map.of(), null);
    }

    private static NodeState down(String asSeen) {
        return new NodeState(ClusterNodesParser.parse(asSeen).get(0), List.of(), null, Map.of(),
                "127.0.0.1:7001 is unreachable (Connection refused) during CLUSTER NODES");
    }

    private static List<String> texts(FailureReport r) {
        return r.lines().stream().map(l -> l.level() + " " + l.message()).toList();
    }

    @Test
    void aDeadTargetIsNamedWithTheSlotItsSourceHoldsOpenAndTheWayOut() {
        ClusterSnapshot s = new ClusterSnapshot(List.of(
                reached(A + " 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-8191 [0->-" + B + "]",
                        B + " 127.0.0.1:7001@17001 master,fail - 0 0 2 disconnected 8192-16383"),
                down(B + " 127.0.0.1:7001@17001 master,fail - 0 0 2 disconnected 8192-16383")), Instant.now());
        FailureReport r = FailureReport.of(7, "c1", List.of(MOVE_0), s);
        assertThat(r.cause()).isEqualTo("node " + B + " at 127.0.0.1:7001 can't be reached");
        assertThat(texts(r)).containsExactly(
                "ERROR node " + B + " at 127.0.0.1:7001 (the target of the move of slot 0) can't be reached: "
                        + "127.0.0.1:7001 is unreachable (Connection refused) during CLUSTER NODES",
                "ERROR slots left open: {0=[127.0.0.1:7000 (" + A + ") migrating to 127.0.0.1:7001 (" + B + ")]}",
                "ERROR slot 0 may also be open on 127.0.0.1:7001, whose state can't be read while it is down",
                "ERROR to finish: once 127.0.0.1:7001 answers again (restart it on the same address with its data "
                        + "directory, so it keeps its node id, nodes.conf and keys), resume job 7 (POST /api/v1/jobs/7/resume): "
                        + "it drives the move of slot 0 again from where it stopped. If it does not come back (failed over "
                        + "to a replica, or lost), run a fix job (POST /api/v1/clusters/c1/fix) to close slot 0 (with "
                        + "withUnreachablePrimaries while it is down), then cancel this job and plan the rest again");
    }

    @Test
    void withEveryNodeUpAnOpenSlotIsNamedOnBothSidesWithResumeAndFixOffered() {
        ClusterSnapshot s = new ClusterSnapshot(List.of(
                reached(A + " 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-8191 [0->-" + B + "]",
                        B + " 127.0.0.1:7001@17001 master - 0 0 2 connected 8192-16383"),
                reached(B + " 127.0.0.1:7001@17001 myself,master - 0 0 2 connected 8192-16383 [0-<-" + A + "]",
                        A + " 127.0.0.1:7000@17000 master - 0 0 1 connected 0-8191")), Instant.now());
        FailureReport r = FailureReport.of(7, "c1", List.of(MOVE_0), s);
        assertThat(r.cause()).isNull();
        assertThat(texts(r)).containsExactly(
                "ERROR slots left open: {0=[127.0.0.1:7000 (" + A + ") migrating to 127.0.0.1:7001 (" + B + "), "
                        + "127.0.0.1:7001 (" + B + ") importing from 127.0.0.1:7000 (" + A + ")]}",
                "ERROR to finish: resume job 7 (POST /api/v1/jobs/7/resume) to retry: it drives the move of slot 0 again "
                        + "from where it stopped; or run a fix job (POST /api/v1/clusters/c1/fix) to close it where the "
                        + "keys are");
    }

    @Test
    void nothingOpenAndEveryNodeUpOffersTheRetry() {
        ClusterSnapshot s = new ClusterSnapshot(List.of(
                reached(A + " 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-8191",
                        B + " 127.0.0.1:7001@17001 master - 0 0 2 connected 8192-16383"),
                reached(B + " 127.0.0.1:7001@17001 myself,master - 0 0 2 connected 8192-16383",
                        A + " 127.0.0.1:7000@17000 master - 0 0 1 connected 0-8191")), Instant.now());
        FailureReport r = FailureReport.of(7, "c1", List.of(MOVE_0), s);
        assertThat(r.cause()).isNull();
        assertThat(texts(r)).containsExactly("INFO no slot is left open; resume job 7 (POST /api/v1/jobs/7/resume) to "
                + "retry the failed step");
    }

    @Test
    void aStepThatLostANodeIsToldFromOneThatWasRefused() {
        assertThat(FailureReport.lostANode(new io.rookery.admin.cluster.NodeCommandException(null, null,
                "127.0.0.1:7000 is unreachable", null))).isTrue();
        assertThat(FailureReport.lostANode(new io.rookery.admin.cluster.NodeCommandException(null,
                "IOERR error or timeout connecting to the client", "refused", null))).isTrue();
        assertThat(FailureReport.lostANode(new io.rookery.admin.cluster.NodeCommandException(null,
                "BUSYKEY Target key name already exists.", "refused", null))).isFalse();
        assertThat(FailureReport.lostANode(new IllegalStateException("different values"))).isFalse();
    }
}
