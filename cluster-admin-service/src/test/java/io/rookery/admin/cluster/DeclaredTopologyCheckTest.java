package io.rookery.admin.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.admin.cluster.DeclaredTopologyCheck.Kind;
import io.rookery.admin.cluster.DeclaredTopologyCheck.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the admin service makes of the declared nodes before it creates (or leaves alone) a cluster. */
class DeclaredTopologyCheckTest {
    private static final List<NodeAddress> SIX = List.of(a(7000), a(7001), a(7002), a(7003), a(7004), a(7005));

    private static NodeAddress a(int port) {
        return NodeAddress.parse("127.0.0.1:" + port);
    }

    private static String id(int port) {
        return Integer.toString(port).repeat(10);
    }

    /** One CLUSTER NODES line; {@code primaryPort} 0 for a primary. */
    private static String line(int port, int primaryPort, String slots) {
        return id(port) + " 127.0.0.1:" + port + "@1" + port + " " + (primaryPort == 0 ? "master" : "slave") + " "
                + (primaryPort == 0 ? "-" : id(primaryPort)) + " 0 0 1 connected" + (slots.isEmpty() ? "" : " " + slots);
    }

    /** A node whose view is {@code lines}, its own line first. */
    private static NodeState node(List<String> lines, String state, Map<String, String> info) {
        List<String> all = new ArrayList<>(lines);
        all.set(0, all.get(0).replaceFirst(" (master|slave) ", " myself,$1 "));
        List<ClusterNodeEntry> view = ClusterNodesParser.parse(String.join("\n", all));
        return new NodeState(view.get(0), view, state, info, null);
    }

    private static Map<NodeAddress, String> ids(List<NodeAddress> of) {
        Map<NodeAddress, String> ids = new LinkedHashMap<>();
        of.forEach(x -> ids.put(x, id(x.port())));
        return ids;
    }

    private static Verdict judge(int replicas, List<NodeState> nodes) {
        return DeclaredTopologyCheck.judge(new DeclaredTopology(SIX, replicas), ids(SIX), Map.of(),
                new ClusterSnapshot(nodes, Instant.now()));
    }

    /** 7000-7002 primaries with 0-5460, 5461-10922, 10923-16383, 7003-7005 their replicas. */
    private static List<String> formedLines() {
        return List.of(line(7000, 0, "0-5460"), line(7001, 0, "5461-10922"), line(7002, 0, "10923-16383"),
                line(7003, 7000, ""), line(7004, 7001, ""), line(7005, 7002, ""));
    }

    private static List<NodeState> formed(List<String> lines, String state) {
        List<NodeState> nodes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            List<String> view = new ArrayList<>(lines);
            view.add(0, view.remove(i));
            nodes.add(node(view, state, Map.of()));
        }
        return nodes;
    }

    private static List<NodeState> empties(List<NodeAddress> of) {
        return of.stream().map(x -> node(List.of(line(x.port(), 0, "")), "fail", Map.of())).toList();
    }

    @Test
    void emptyNodesAreToBeCreated() {
        assertThat(judge(1, empties(SIX)).kind()).isEqualTo(Kind.EMPTY);
    }

    @Test
    void aNodeWithKeysIsNotEmpty() {
        List<NodeState> nodes = new ArrayList<>(empties(SIX));
        nodes.set(2, node(List.of(line(7002, 0, "")), "fail", Map.of("db0", "keys=1,expires=0,avg_ttl=0")));
        Verdict v = judge(1, nodes);
        assertThat(v.kind()).isEqualTo(Kind.PARTLY_FORMED);
        assertThat(v.kind().conflict()).isTrue();
    }

    @Test
    void theDeclaredClusterHealthyIsFormed() {
        Verdict v = judge(1, formed(formedLines(), "ok"));
        assertThat(v.kind()).isEqualTo(Kind.FORMED);
        assertThat(v.kind().conflict()).isFalse();
    }

    @Test
    void theDeclaredShapeNotOkYetIsSettling() {
        Verdict v = judge(1, formed(formedLines(), "fail"));
        assertThat(v.kind()).isEqualTo(Kind.SETTLING);
        assertThat(v.reason()).contains("127.0.0.1:7000 says cluster_state:fail");
    }

    @Test
    void anotherShapeIsLeftAlone() {
        Verdict v = judge(0, formed(formedLines(), "ok"));
        assertThat(v.kind()).isEqualTo(Kind.DIFFERENT_SHAPE);
        assertThat(v.reason()).contains("3 primaries with slots and 3 replicas, not the declared 6 nodes (6 primaries");
    }

    @Test
    void halfClusteredHalfEmptyIsPartlyFormed() {
        List<String> three = List.of(line(7000, 0, "0-5460"), line(7001, 0, "5461-10922"), line(7002, 0, "10923-16383"));
        List<NodeState> nodes = new ArrayList<>(formed(three, "ok"));
        nodes.addAll(empties(SIX.subList(3, 6)));
        Verdict v = judge(1, nodes);
        assertThat(v.kind()).isEqualTo(Kind.PARTLY_FORMED);
        assertThat(v.reason()).contains("3 empty", "127.0.0.1:7000 knows 3 of the 6 declared nodes", "left untouched");
    }

    @Test
    void aClusterWithUndeclaredNodesIsForeign() {
        List<String> lines = new ArrayList<>(formedLines());
        lines.add(line(7009, 7000, ""));
        List<NodeState> nodes = formed(lines, "ok");
        Verdict v = judge(1, nodes);
        assertThat(v.kind()).isEqualTo(Kind.FOREIGN);
        assertThat(v.reason()).contains(id(7009) + " (127.0.0.1:7009)");
    }

    @Test
    void aNodeThatDoesNotAnswerIsWaitedFor() {
        Map<NodeAddress, String> ids = ids(SIX);
        ids.remove(a(7004));
        Verdict v = DeclaredTopologyCheck.judge(new DeclaredTopology(SIX, 1), ids,
                Map.of(a(7004), "Connection refused"), new ClusterSnapshot(empties(SIX.subList(0, 4)), Instant.now()));
        assertThat(v.kind()).isEqualTo(Kind.UNREACHABLE);
        assertThat(v.reason()).isEqualTo("waiting for declared node(s) 127.0.0.1:7004 (Connection refused)");
    }
}
