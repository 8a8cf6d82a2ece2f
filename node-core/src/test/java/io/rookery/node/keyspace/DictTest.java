package io.rookery.node.keyspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DictTest {

    private static byte[] key(int i) {
        return ("key:" + i).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void putGetRemoveAcrossResizes() {
        Dict d = new Dict();
        for (int i = 0; i < 10_000; i++) {
            d.put(key(i), i);
        }
        assertThat(d.size()).isEqualTo(10_000);
        assertThat(d.buckets()).isGreaterThanOrEqualTo(10_000);
        for (int i = 0; i < 10_000; i += 2) {
            assertThat(d.remove(key(i))).isNotNull();
        }
        assertThat(d.get(key(1)).value()).isEqualTo(1);
        assertThat(d.get(key(2))).isNull();
        d.put(key(1), "replaced");
        assertThat(d.get(key(1)).value()).isEqualTo("replaced");
        assertThat(d.size()).isEqualTo(5_000);
    }

    @Test
    void scanReturnsEveryStableKeyWhileTheTableGrows() {
        Dict d = new Dict();
        for (int i = 0; i < 1000; i++) {
            d.put(key(i), i);
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int next = 1000;
        int steps = 0;
        do {
            cursor = d.scan(cursor, e -> seen.add(new String(e.key(), StandardCharsets.US_ASCII)));
            if (++steps % 50 == 0 && next < 16_000) {
                for (int k = 0; k < 3000; k++) {
                    d.put(key(next++), next); // several doublings while the scan is under way
                }
            }
        } while (cursor != 0);
        assertThat(d.buckets()).isGreaterThanOrEqualTo(16_384);
        for (int i = 0; i < 1000; i++) {
            assertThat(seen).as("key %d present for the whole scan", i).contains("key:" + i);
        }
    }

    @Test
    void scanReturnsEveryStableKeyWhileTheTableShrinks() {
        Dict d = new Dict();
        for (int i = 0; i < 20_000; i++) {
            d.put(key(i), i);
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int victim = 100;
        do {
            cursor = d.scan(cursor, e -> seen.add(new String(e.key(), StandardCharsets.US_ASCII)));
            for (int k = 0; k < 200 && victim < 20_000; k++) {
                d.remove(key(victim++));
            }
            d.shrinkIfSparse();
        } while (cursor != 0);
        for (int i = 0; i < 100; i++) {
            assertThat(seen).contains("key:" + i);
        }
    }

    @Test
    void randomEntryReachesEveryEntry() {
        Dict d = new Dict();
        for (int i = 0; i < 20; i++) {
            d.put(key(i), i);
        }
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            seen.add(d.randomEntry().value());
        }
        assertThat(seen).hasSize(20);
        assertThat(new Dict().randomEntry()).isNull();
    }

    @Test
    void fairRandomEntryPicksEveryEntryOfASmallTableEquallyOften() {
        Dict d = new Dict();
        for (int i = 0; i < 10; i++) {
            d.put(key(i), i);
        }
        int[] hits = new int[10];
        for (int draw = 0; draw < 20_000; draw++) {
            hits[(Integer) d.fairRandomEntry().value()]++;
        }
        for (int h : hits) {
            assertThat(h).as("each of 10 entries is drawn about 2000 times in 20000 (sd ~42)").isBetween(1600, 2400);
        }
    }
}
