package io.rookery.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClusterNodesViewTest {
    private static final String A = "aaa 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-5460\n"
            + "bbb 127.0.0.1:7001@17001 master - 0 0 2 connected 5461-10922 [5462->-ccc]\n"
            + "ccc 127.0.0.1:7002@17002,host-c master - 0 0 3 connected 10923-16383\n"
            + "ddd 127.0.0.1:7003@17003 slave aaa 0 0 1 connected\n";

    @Test
    void oneViewGivesEverySlotItsPrimary() {
        ClusterNodesView v = new ClusterNodesView();
        v.add(A);
        SlotMap map = v.toSlotMap(1);
        assertThat(map.covered()).isTrue();
        assertThat(map.ownerOf(0)).isEqualTo("127.0.0.1:7000");
        assertThat(map.ownerOf(5462)).isEqualTo("127.0.0.1:7001");
        assertThat(map.ownerOf(16383)).isEqualTo("127.0.0.1:7002");
        assertThat(map.primaries()).containsExactly("127.0.0.1:7000", "127.0.0.1:7001", "127.0.0.1:7002");
        assertThat(map.nodes()).hasSize(4).anyMatch(n -> !n.primary() && n.primaryOf().equals("aaa"));
    }

    @Test
    void aPromotedReplicasHigherEpochWinsOverAStaleView() {
        String promoted = "aaa 127.0.0.1:7000@17000 master,fail - 0 0 1 disconnected\n"
                + "bbb 127.0.0.1:7001@17001 master - 0 0 2 connected 5461-10922\n"
                + "ccc 127.0.0.1:7002@17002 master - 0 0 3 connected 10923-16383\n"
                + "ddd 127.0.0.1:7003@17003 myself,master - 0 0 7 connected 0-5460\n";
        ClusterNodesView v = new ClusterNodesView();
        v.add(A);
        v.add(promoted);
        SlotMap map = v.toSlotMap(2);
        assertThat(map.ownerOf(0)).isEqualTo("127.0.0.1:7003");
        assertThat(map.sameAssignment(fromOne(A))).isFalse();
        ClusterNodesView reversed = new ClusterNodesView();
        reversed.add(promoted);
        reversed.add(A);
        assertThat(reversed.toSlotMap(2).ownerOf(0)).isEqualTo("127.0.0.1:7003");
    }

    @Test
    void unassignedSlotsHaveNoOwner() {
        ClusterNodesView v = new ClusterNodesView();
        v.add("aaa 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-100\n");
        SlotMap map = v.toSlotMap(1);
        assertThat(map.servedSlots()).isEqualTo(101);
        assertThat(map.ownerOf(101)).isNull();
        assertThat(map.covered()).isFalse();
    }

    private static SlotMap fromOne(String text) {
        ClusterNodesView v = new ClusterNodesView();
        v.add(text);
        return v.toSlotMap(1);
    }
}
