package io.rookery.node.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.NodeConfig;
import io.rookery.node.keyspace.MemoryCounter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Each collection value driven by random operations and compared with a plain Java model, across the
 * compact-to-table encoding switch, with its memory accounting kept consistent.
 */
class ValueTypesTest {
    private final MemoryCounter memory = new MemoryCounter();
    private final NodeConfig config = new NodeConfig();
    private final TypeContext ctx = new TypeContext(memory, config);
    private final Random rnd = new Random(11);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void hashMatchesAMapAcrossItsConversion() {
        HashValue h = new HashValue(ctx);
        h.attach(true);
        long attachedAt = memory.bytes() - h.memoryUsage();
        Map<String, String> model = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            String f = "f" + rnd.nextInt(700);
            if (rnd.nextInt(4) == 0) {
                assertThat(h.remove(b(f))).isEqualTo(model.remove(f) != null);
            } else {
                String v = "v" + rnd.nextInt(1000);
                assertThat(h.put(b(f), b(v))).isEqualTo(model.put(f, v) == null);
            }
            assertThat(h.size()).isEqualTo(model.size());
        }
        assertThat(h.encoding()).isEqualTo("hashtable");
        model.forEach((f, v) -> assertThat(s(h.get(b(f)))).isEqualTo(v));
        Map<String, String> seen = new HashMap<>();
        h.forEach((f, v) -> seen.put(s(f), s(v)));
        assertThat(seen).isEqualTo(model);
        assertThat(memory.bytes() - attachedAt).as("reported deltas add up to the current size").isEqualTo(h.memoryUsage());
    }

    @Test
    void smallHashesStayCompact() {
        HashValue h = new HashValue(ctx);
        for (int i = 0; i < 10; i++) {
            h.put(b("field:" + i), b("value:" + i));
        }
        assertThat(h.encoding()).isEqualTo("listpack");
        assertThat(h.memoryUsage()).as("ten short pairs in one array").isLessThan(400);
    }

    @Test
    void listMatchesADeque() {
        ListValue l = new ListValue(ctx);
        Deque<String> model = new ArrayDeque<>();
        for (int i = 0; i < 5000; i++) {
            int op = rnd.nextInt(5);
            String v = "e" + i;
            if (op == 0) {
                l.pushHead(b(v));
                model.addFirst(v);
            } else if (op == 1) {
                l.pushTail(b(v));
                model.addLast(v);
            } else if (op == 2 && !model.isEmpty()) {
                assertThat(s(l.popHead())).isEqualTo(model.removeFirst());
            } else if (op == 3 && !model.isEmpty()) {
                assertThat(s(l.popTail())).isEqualTo(model.removeLast());
            } else if (!model.isEmpty()) {
                int idx = rnd.nextInt(model.size());
                List<String> asList = new ArrayList<>(model);
                assertThat(s(l.get(idx))).isEqualTo(asList.get(idx));
            }
            assertThat(l.size()).isEqualTo(model.size());
        }
        assertThat(Arrays.stream(l.toArray()).map(ValueTypesTest::s).toList()).containsExactlyElementsOf(model);
    }

    @Test
    void setMatchesASetAcrossIntsetAndTable() {
        SetValue set = new SetValue(ctx);
        java.util.Set<String> model = new java.util.HashSet<>();
        for (int i = 0; i < 4000; i++) {
            String m = Integer.toString(rnd.nextInt(1500));
            if (rnd.nextInt(3) == 0) {
                assertThat(set.remove(b(m))).isEqualTo(model.remove(m));
            } else {
                assertThat(set.add(b(m))).isEqualTo(model.add(m));
            }
        }
        assertThat(set.encoding()).isEqualTo("hashtable"); // more than set-max-intset-entries integers
        assertThat(set.members().stream().map(ValueTypesTest::s).toList()).containsExactlyInAnyOrderElementsOf(model);

        SetValue small = new SetValue(ctx);
        small.add(b("3"));
        small.add(b("-1"));
        small.add(b("2"));
        assertThat(small.encoding()).isEqualTo("intset");
        assertThat(small.members().stream().map(ValueTypesTest::s).toList()).containsExactly("-1", "2", "3");
        small.add(b("x"));
        assertThat(small.encoding()).isEqualTo("hashtable");
    }

    private record Pair(String member, double score) {
    }

    private static final Comparator<Pair> ORDER = Comparator.comparingDouble(Pair::score)
            .thenComparing((x, y) -> Arrays.compareUnsigned(b(x.member()), b(y.member())));

    @Test
    void sortedSetMatchesASortedModelInBothEncodings() {
        for (int limit : new int[]{128, 8}) {
            config.zsetMaxListpackEntries = limit;
            ZSetValue z = new ZSetValue(ctx);
            Map<String, Double> scores = new HashMap<>();
            for (int i = 0; i < 1500; i++) {
                String m = "m" + rnd.nextInt(300);
                if (rnd.nextInt(4) == 0) {
                    assertThat(z.remove(b(m))).isEqualTo(scores.remove(m) != null);
                } else {
                    double sc = rnd.nextInt(50);
                    assertThat(z.put(b(m), sc)).isEqualTo(scores.put(m, sc) == null);
                }
            }
            TreeSet<Pair> model = new TreeSet<>(ORDER);
            scores.forEach((m, sc) -> model.add(new Pair(m, sc)));
            List<Pair> expected = new ArrayList<>(model);
            List<ZSetValue.Entry> all = z.range(0, (int) z.size() - 1, false);
            assertThat(all.stream().map(e -> new Pair(s(e.member()), e.score())).toList()).isEqualTo(expected);
            for (int i = 0; i < expected.size(); i += 7) {
                assertThat(z.rank(b(expected.get(i).member()))).isEqualTo(i);
                assertThat(s(z.at(i).member())).isEqualTo(expected.get(i).member());
            }
            int below = (int) expected.stream().filter(p -> p.score() < 20).count();
            assertThat(z.countScoreBefore(20, false)).isEqualTo(below);
            int atMost = (int) expected.stream().filter(p -> p.score() <= 20).count();
            assertThat(z.countScoreBefore(20, true)).isEqualTo(atMost);
            List<ZSetValue.Entry> rev = z.range(3, 10, true);
            assertThat(s(rev.get(0).member())).isEqualTo(expected.get(10).member());
        }
    }

    @Test
    void packedEntriesSurviveInsertReplaceAndRemove() {
        Packed p = new Packed();
        p.append(b("a"));
        p.append(b("x".repeat(300))); // a two-byte length
        p.insert(0, b("first"));
        p.replace(p.next(0), b("A"));
        assertThat(p.count()).isEqualTo(3);
        assertThat(s(p.get(0))).isEqualTo("first");
        assertThat(s(p.get(p.next(0)))).isEqualTo("A");
        assertThat(p.get(p.at(2))).hasSize(300);
        p.remove(p.at(1), 1);
        assertThat(p.count()).isEqualTo(2);
        assertThat(p.find(b("x".repeat(300)), 1)).isNotEqualTo(Packed.END);
    }
}
