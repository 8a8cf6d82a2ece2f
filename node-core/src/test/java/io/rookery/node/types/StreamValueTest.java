package io.rookery.node.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.NodeConfig;
import io.rookery.node.keyspace.MemoryCounter;
import org.junit.jupiter.api.Test;

/** The stream value: node boundaries, trimming as Redis's streamTrim, ids, and the 7.0 read counters. */
class StreamValueTest {
    private final NodeConfig config = new NodeConfig();
    private final TypeContext ctx = new TypeContext(new MemoryCounter(), config);

    private StreamValue stream(int entries, long perNode) {
        config.streamNodeMaxEntries = perNode;
        StreamValue s = new StreamValue(ctx);
        for (int i = 1; i <= entries; i++) {
            s.append(new StreamId(i, 0), new byte[][]{"f".getBytes(), Integer.toString(i).getBytes()});
        }
        return s;
    }

    @Test
    void entriesFillNodesUpToTheConfiguredSize() {
        assertThat(stream(100, 10).nodeCount()).isEqualTo(10);
        assertThat(stream(101, 10).nodeCount()).isEqualTo(11);
    }

    @Test
    void approximateTrimsRemoveWholeNodesAndRespectTheLimit() {
        StreamValue s = stream(100, 10);
        assertThat(s.trim(new StreamValue.Trim(true, 55, null, true, 30))).isEqualTo(30);
        assertThat(s.length()).isEqualTo(70);
        assertThat(s.trim(new StreamValue.Trim(true, 55, null, true, 0))).isEqualTo(10);
        assertThat(s.length()).isEqualTo(60);
        assertThat(s.trim(new StreamValue.Trim(true, 55, null, false, 0))).isEqualTo(5);
        assertThat(s.firstId()).isEqualTo(new StreamId(46, 0));
    }

    @Test
    void minIdTrimsStopAtTheFirstEntryToKeep() {
        StreamValue s = stream(30, 10);
        assertThat(s.trim(new StreamValue.Trim(false, 0, new StreamId(15, 0), false, 0))).isEqualTo(14);
        assertThat(s.firstId()).isEqualTo(new StreamId(15, 0));
        assertThat(s.trim(new StreamValue.Trim(false, 0, new StreamId(25, 0), true, 0))).isEqualTo(6);
        assertThat(s.firstId()).isEqualTo(new StreamId(21, 0));
    }

    @Test
    void deletingEveryEntryOfANodeRemovesTheNode() {
        StreamValue s = stream(20, 10);
        for (int i = 1; i <= 10; i++) {
            assertThat(s.delete(new StreamId(i, 0))).isTrue();
        }
        assertThat(s.nodeCount()).isEqualTo(1);
        assertThat(s.maxDeletedId()).isEqualTo(new StreamId(10, 0));
        assertThat(s.firstId()).isEqualTo(new StreamId(11, 0));
    }

    @Test
    void theReadCounterIsKnownOnlyWithoutTombstonesAhead() {
        StreamValue s = stream(10, 100);
        assertThat(s.estimateDistanceFromFirstEverEntry(new StreamId(10, 0))).isEqualTo(10);
        assertThat(s.estimateDistanceFromFirstEverEntry(new StreamId(1, 0))).isEqualTo(1);
        assertThat(s.estimateDistanceFromFirstEverEntry(new StreamId(5, 0))).isEqualTo(StreamGroup.INVALID_ENTRIES_READ);
        StreamGroup g = s.createGroup("g".getBytes(), new StreamId(3, 0), 3);
        assertThat(s.lag(g)).isEqualTo(7);
        s.delete(new StreamId(6, 0));
        assertThat(s.lag(g)).isNull();
    }

    @Test
    void idsCompareUnsignedAndStepAcrossTheSequence() {
        assertThat(StreamId.MAX.compareTo(new StreamId(1, 0))).isPositive();
        assertThat(new StreamId(1, -1L).next()).isEqualTo(new StreamId(2, 0));
        assertThat(new StreamId(2, 0).previous()).isEqualTo(new StreamId(1, -1L));
        assertThat(StreamId.MAX.next()).isNull();
        assertThat(StreamId.parse("18446744073709551615-5".getBytes(), 0)).isEqualTo(new StreamId(-1L, 5));
        assertThat(StreamId.parse("18446744073709551616".getBytes(), 0)).isNull();
        assertThat(StreamId.parse("1-x".getBytes(), 0)).isNull();
        assertThat(StreamId.MAX.toString()).isEqualTo("18446744073709551615-18446744073709551615");
        assertThat(StreamId.decode(new StreamId(7, 9).encode(), 0)).isEqualTo(new StreamId(7, 9));
    }
}
