package io.rookery.node.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.NodeConfig;
import io.rookery.node.keyspace.MemoryCounter;
import io.rookery.node.types.StreamId;
import io.rookery.node.types.StreamValue;
import io.rookery.node.types.TypeContext;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The stream RDB encoding and the listpacks inside it. */
class StreamCodecTest {
    private final TypeContext ctx = new TypeContext(new MemoryCounter(), new NodeConfig());

    @Test
    void listpackEntriesOfEverySizeReadBack() throws Exception {
        ListpackWriter lp = new ListpackWriter();
        byte[][] strings = {"".getBytes(), "a".repeat(63).getBytes(), "b".repeat(64).getBytes(),
                "c".repeat(16380).getBytes(), "d".repeat(5000).getBytes(), "007".getBytes()};
        long[] ints = {0, 127, 128, -1, -4096, 4095, 40000, -8388608, 2_000_000_000L, Long.MIN_VALUE};
        for (byte[] s : strings) {
            lp.add(s);
        }
        for (long v : ints) {
            lp.add(v);
        }
        List<byte[]> back = PackedFormats.listpack(lp.toByteArray());
        assertThat(back).hasSize(strings.length + ints.length);
        for (int i = 0; i < strings.length; i++) {
            assertThat(back.get(i)).isEqualTo(strings[i]);
        }
        for (int i = 0; i < ints.length; i++) {
            assertThat(new String(back.get(strings.length + i))).isEqualTo(Long.toString(ints[i]));
        }
    }

    @Test
    void aStreamWithGroupsRoundTrips() throws Exception {
        StreamValue s = new StreamValue(ctx);
        s.append(new StreamId(5, 3), new byte[][]{"f".getBytes(), "1".getBytes()});
        s.append(new StreamId(6, 0), new byte[][]{"f".getBytes(), "2".getBytes()});
        s.append(new StreamId(6, 1), new byte[][]{"g".getBytes(), "x".getBytes(), "h".getBytes(), "y".getBytes()});
        s.delete(new StreamId(6, 0));
        var g = s.createGroup("grp".getBytes(), new StreamId(6, 1), -1);
        var c = g.createConsumer("alice".getBytes(), 1234);
        var p = new io.rookery.node.types.StreamPending(new StreamId(5, 3), c, 999, 4);
        g.pel.put(p.id, p);
        c.pel.put(p.id, p);
        RdbOutput out = new RdbOutput(false);
        ValueCodec.write(out, s);
        byte[] bytes = out.toByteArray();
        assertThat(bytes[0]).isEqualTo((byte) RdbConstants.TYPE_STREAM_LISTPACKS_2);
        StreamValue back = (StreamValue) ValueCodec.read(new RdbInput(bytes, 0, bytes.length), ctx);
        assertThat(new TreeMap<>(back.range(StreamId.MIN, StreamId.MAX)).keySet())
                .containsExactly(new StreamId(5, 3), new StreamId(6, 1));
        assertThat(back.get(new StreamId(6, 1))[2]).isEqualTo("h".getBytes());
        assertThat(back.lastId()).isEqualTo(new StreamId(6, 1));
        assertThat(back.maxDeletedId()).isEqualTo(new StreamId(6, 0));
        assertThat(back.entriesAdded()).isEqualTo(3);
        var bg = back.group("grp".getBytes());
        assertThat(bg.entriesRead).isEqualTo(-1);
        assertThat(bg.pel.get(new StreamId(5, 3)).deliveryCount).isEqualTo(4);
        assertThat(bg.consumer("alice".getBytes()).seenTime).isEqualTo(1234);
        assertThat(bg.consumer("alice".getBytes()).pel).containsOnlyKeys(new StreamId(5, 3));
    }
}
