package io.rookery.admin.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.admin.cluster.HealthVerdict.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdict and its reasons in redis-cli --cluster check's words. */
class HealthCheckTest {
    private static final String A = "aaaa";
    private static final String B = "bbbb";

    private static NodeState node(String id, int port, String myView, String othersLine) {
        List<ClusterNodeEntry> view = new ArrayList<>(ClusterNodesParser.parse(myView + "\n" + othersLine));
        return new NodeState(view.get(0), view, "ok", Map.of(), null);
    }

    private static ClusterSnapshot snapshot(String aSlots, String bSlots, String bAsSeenByA) {
        NodeState a = node(A, 7000, A + " 127.0.0.1:7000@17000 myself,master - 0 0 1 connected " + aSlots,
                B + " 127.0.0.1:7001@17001 master - 0 0 2 connected " + bAsSeenByA);
        NodeState b = node(B, 7001, B + " 127.0.0.1:7001@17001 myself,master - 0 0 2 connected " + bSlots,
                A + " 127.0.0.1:7000@17000 master - 0 0 1 connected " + aSlots.replaceAll(" \\[.*", ""));
        return new ClusterSnapshot(List.of(a, b), Instant.now());
    }

    @Test
    void aCoveredAgreeingClusterIsOk() {
        HealthVerdict v = HealthCheck.judge(snapshot("0-8191", "8192-16383", "8192-16383"));
        assertThat(v.status()).isEqualTo(Status.OK);
        assertThat(v.findings()).isEmpty();
    }

    @Test
    void uncoveredSlotsAreAnError() {
        HealthVerdict v = HealthCheck.judge(snapshot("0-8191", "8192-16000", "8192-16000"));
        assertThat(v.status()).isEqualTo(Status.ERROR);
        assertThat(v.findings()).extracting(HealthVerdict.Finding::text)
                .anyMatch(t -> t.startsWith("Not all 16384 slots are covered by nodes"));
    }

    @Test
    void nodesThatDisagreeAreAnError() {
        HealthVerdict v = HealthCheck.judge(snapshot("0-8191", "8192-16383", "8192-16000"));
        assertThat(v.findings()).extracting(HealthVerdict.Finding::text).contains("Nodes don't agree about configuration!");
        assertThat(v.status()).isEqualTo(Status.ERROR);
    }

    @Test
    void anOpenSlotIsAWarningNamingTheNodeAndSlot() {
        HealthVerdict v = HealthCheck.judge(snapshot("0-8191 [8191->-" + B + "]", "8192-16383", "8192-16383"));
        assertThat(v.status()).isEqualTo(Status.WARNING);
        assertThat(v.findings()).extracting(HealthVerdict.Finding::text)
                .contains("Node 127.0.0.1:7000 has slots in migrating state 8191.", "The following slots are open: 8191.");
        assertThat(HealthCheck.settled(snapshot("0-8191 [8191->-" + B + "]", "8192-16383", "8192-16383"))).isFalse();
        assertThat(HealthCheck.settled(snapshot("0-8191", "8192-16383", "8192-16383"))).isTrue();
    }

    @Test
    void aReadBetweenTheTwoEndsOfAHandoverIsToldFromALostSlot() {
        // B read while importing 8191, A read after it let 8191 go: nobody claims it, B imports it
        assertThat(snapshot("0-8190", "8192-16383 [8191-<-" + A + "]", "8192-16383").straddlesAHandover()).isTrue();
        // a slot that nobody claims and nobody imports is lost, not in a handover
        assertThat(snapshot("0-8190", "8192-16383", "8192-16383").straddlesAHandover()).isFalse();
        // an open slot its owner still claims is not a straddled read
        assertThat(snapshot("0-8191 [8191->-" + B + "]", "8192-16383 [8191-<-" + A + "]", "8192-16383")
                .straddlesAHandover()).isFalse();
    }

    @Test
    void anUnreachableNodeWithSlotsIsAnError() {
        ClusterSnapshot s = snapshot("0-8191", "8192-16383", "8192-16383");
        NodeState b = s.nodes().get(1);
        ClusterSnapshot down = new ClusterSnapshot(List.of(s.nodes().get(0),
                new NodeState(b.self(), List.of(), null, Map.of(), "connection refused")), Instant.now());
        HealthVerdict v = HealthCheck.judge(down);
        assertThat(v.status()).isEqualTo(Status.ERROR);
        assertThat(v.findings().get(0).text()).contains("can't be reached: connection refused");
    }
}
