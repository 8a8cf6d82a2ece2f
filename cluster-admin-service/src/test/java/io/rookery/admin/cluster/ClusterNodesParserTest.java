package io.rookery.admin.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CLUSTER NODES lines as Redis 7.0 writes them, open slots and fresh nodes included. */
class ClusterNodesParserTest {
    private static final String NODES = """
            07c37dfeb235213a872192d90877d0cd55635b91 127.0.0.1:30004@31004,node-4 slave e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 0 1426238317239 4 connected
            67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 127.0.0.1:30002@31002 master - 0 1426238316232 2 connected 5461-10922
            e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 127.0.0.1:30001@31001 myself,master - 0 0 1 connected 0-5460 [5461-<-67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1] [93->-292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f]
            292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f 127.0.0.1:30003@31003 master,fail? - 1426238316232 0 3 disconnected 10923-16383
            6ec23923021cf3ffec47632106199cb7f496ce01 :0@0 master,noaddr - 1426238316232 0 0 disconnected
            """;

    @Test
    void everyFieldOfEveryLineIsRead() {
        List<ClusterNodeEntry> nodes = ClusterNodesParser.parse(NODES);
        assertThat(nodes).hasSize(5);
        ClusterNodeEntry replica = nodes.get(0);
        assertThat(replica.replica()).isTrue();
        assertThat(replica.primaryId()).isEqualTo("e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca");
        assertThat(replica.address()).isEqualTo(new NodeAddress("127.0.0.1", 30004));
        assertThat(replica.busPort()).isEqualTo(31004);
        assertThat(replica.hostname()).isEqualTo("node-4");
        assertThat(replica.configEpoch()).isEqualTo(4);

        ClusterNodeEntry me = nodes.get(2);
        assertThat(me.myself()).isTrue();
        assertThat(me.primary()).isTrue();
        assertThat(me.slotCount()).isEqualTo(5461);
        assertThat(me.slotRanges()).hasToString("[0-5460]");
        assertThat(me.importing()).isEqualTo(Map.of(5461, "67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1"));
        assertThat(me.migrating()).isEqualTo(Map.of(93, "292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f"));

        ClusterNodeEntry failing = nodes.get(3);
        assertThat(failing.failing()).isTrue();
        assertThat(failing.linkState()).isEqualTo("disconnected");
        assertThat(failing.slotRanges()).hasToString("[10923-16383]");

        ClusterNodeEntry noaddr = nodes.get(4);
        assertThat(noaddr.address()).isNull();
        assertThat(noaddr.reachable()).isFalse();
    }

    @Test
    void aFreshNodeKnowsNoAddressOfItsOwn() {
        ClusterNodeEntry fresh = ClusterNodesParser.parse(
                "e2b1a8c5a4cbb9a7f5d5c8c24e43a1f9b3e3c0d1 :6379@16379 myself,master - 0 0 0 connected\n").get(0);
        assertThat(fresh.address()).isNull();
        assertThat(fresh.busPort()).isEqualTo(16379);
        assertThat(fresh.slotCount()).isZero();
    }

    @Test
    void singleSlotsAndRangesMix() {
        ClusterNodeEntry e = ClusterNodesParser.parse("a 127.0.0.1:7000@17000 master - 0 0 1 connected 0 2-3 16383\n").get(0);
        assertThat(e.slotRanges()).hasToString("[0, 2-3, 16383]");
    }
}
