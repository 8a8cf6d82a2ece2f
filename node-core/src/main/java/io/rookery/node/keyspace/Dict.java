package io.rookery.node.keyspace;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A chained hash table keyed by binary strings, shaped like Redis's {@code dict}: a power-of-two
 * bucket array, load factor 1, shrink below 10% fill. The shape matters for two promises:
 * <ul>
 *   <li>{@link #scan}: Redis's reverse-binary cursor, so an element present for a whole scan is
 *       returned at least once even when the table grows or shrinks between calls;</li>
 *   <li>{@link #randomEntry}: a fair-enough random pick for expiry and eviction sampling;
 *   {@link #fairRandomEntry} a fairer one for the random-member commands.</li>
 * </ul>
 * Not thread-safe: only the owner thread touches it.
 */
public final class Dict {
    private static final int MIN_SIZE = 4;
    private static final int SEED = ThreadLocalRandom.current().nextInt();

    /** One key and its value. {@code meta} is the LRU clock or LFU word used by eviction and OBJECT. */
    public static final class Entry {
        final byte[] key;
        final int hash;
        Object value;
        Entry next;
        int meta;

        Entry(byte[] key, int hash, Object value) {
            this.key = key;
            this.hash = hash;
            this.value = value;
        }

        public byte[] key() {
            return key;
        }

        public Object value() {
            return value;
        }

        public void value(Object v) {
            this.value = v;
        }

        public int meta() {
            return meta;
        }

        public void meta(int m) {
            this.meta = m;
        }
    }

    private Entry[] table = new Entry[MIN_SIZE];
    private int size;

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int buckets() {
        return table.length;
    }

    public static int hash(byte[] key) {
        int h = SEED;
        for (byte b : key) {
            h = 31 * h + b;
        }
        // murmur3 finalizer: spread low-entropy keys across the low bits the mask keeps
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    public Entry get(byte[] key) {
        return get(key, hash(key));
    }

    /** Lookup with a hash already computed by {@link #hash}, so a read-then-write hashes once. */
    public Entry get(byte[] key, int h) {
        for (Entry e = table[h & (table.length - 1)]; e != null; e = e.next) {
            if (e.hash == h && Arrays.equals(e.key, key)) {
                return e;
            }
        }
        return null;
    }

    /** Inserts or replaces; returns the entry holding the key. */
    public Entry put(byte[] key, Object value) {
        int h = hash(key);
        int i = h & (table.length - 1);
        for (Entry e = table[i]; e != null; e = e.next) {
            if (e.hash == h && Arrays.equals(e.key, key)) {
                e.value = value;
                return e;
            }
        }
        Entry e = new Entry(key, h, value);
        e.next = table[i];
        table[i] = e;
        if (++size > table.length) {
            resize(table.length * 2);
        }
        return e;
    }

    /** Inserts a key known to be absent. */
    public Entry add(byte[] key, Object value) {
        return add(key, hash(key), value);
    }

    /** Inserts a key known to be absent, with its precomputed hash. */
    public Entry add(byte[] key, int h, Object value) {
        int i = h & (table.length - 1);
        Entry e = new Entry(key, h, value);
        e.next = table[i];
        table[i] = e;
        if (++size > table.length) {
            resize(table.length * 2);
        }
        return e;
    }

    /**
     * Makes room for {@code n} entries at once, as Redis's dictExpand does before loading a collection
     * whose size it knows: filling the table then never resizes it (a resize rehashes every entry).
     */
    public void expand(int n) {
        int target = table.length;
        while (target < n && target < (1 << 30)) {
            target <<= 1;
        }
        if (target > table.length) {
            resize(target);
        }
    }

    public Entry remove(byte[] key) {
        int h = hash(key);
        int i = h & (table.length - 1);
        Entry prev = null;
        for (Entry e = table[i]; e != null; prev = e, e = e.next) {
            if (e.hash == h && Arrays.equals(e.key, key)) {
                if (prev == null) {
                    table[i] = e.next;
                } else {
                    prev.next = e.next;
                }
                size--;
                return e;
            }
        }
        return null;
    }

    public void clear() {
        table = new Entry[MIN_SIZE];
        size = 0;
    }

    /** Shrinks the table when it is less than 10% full (Redis's HASHTABLE_MIN_FILL), from the cron. */
    public void shrinkIfSparse() {
        if (table.length > MIN_SIZE && (long) size * 10 < table.length) {
            int target = MIN_SIZE;
            while (target < size) {
                target <<= 1;
            }
            resize(target);
        }
    }

    private void resize(int newSize) {
        Entry[] old = table;
        Entry[] fresh = new Entry[newSize];
        int mask = newSize - 1;
        for (Entry head : old) {
            for (Entry e = head; e != null; ) {
                Entry next = e.next;
                int i = e.hash & mask;
                e.next = fresh[i];
                fresh[i] = e;
                e = next;
            }
        }
        table = fresh;
    }

    /**
     * Visits the bucket at {@code cursor} and returns the next cursor, 0 when the scan is complete.
     * The cursor counts in reverse bit order over the mask (Redis's dictScan), which is what makes
     * resizes between calls safe: a bucket's descendants in a larger table, or its ancestor in a
     * smaller one, are visited later, never skipped.
     */
    public long scan(long cursor, Consumer<Entry> visitor) {
        if (size == 0) {
            return 0;
        }
        long mask = table.length - 1;
        for (Entry e = table[(int) (cursor & mask)]; e != null; e = e.next) {
            visitor.accept(e);
        }
        cursor |= ~mask;
        cursor = Long.reverse(cursor);
        cursor++;
        cursor = Long.reverse(cursor);
        return cursor;
    }

    /** A random entry, or null when empty: a random non-empty bucket, then a random chain element. */
    public Entry randomEntry() {
        if (size == 0) {
            return null;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        Entry head;
        do {
            head = table[rnd.nextInt(table.length)];
        } while (head == null);
        int len = 0;
        for (Entry e = head; e != null; e = e.next) {
            len++;
        }
        int pick = rnd.nextInt(len);
        Entry e = head;
        while (pick-- > 0) {
            e = e.next;
        }
        return e;
    }

    /**
     * A random entry as Redis's dictGetFairRandomKey picks one for HRANDFIELD/SRANDMEMBER: a run of
     * up to 20 entries from consecutive buckets starting at a random one, then one of them uniformly.
     * Unlike {@link #randomEntry} an entry sharing its bucket is not less likely than a lone one
     * (exactly uniform while the table holds at most 20 entries).
     */
    public Entry fairRandomEntry() {
        if (size == 0) {
            return null;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int want = Math.min(size, 20);
        Entry[] sample = new Entry[want];
        int n = 0;
        int i = rnd.nextInt(table.length);
        for (int steps = want * 10; n < want && steps > 0; steps--) {
            for (Entry e = table[i]; e != null && n < want; e = e.next) {
                sample[n++] = e;
            }
            i = (i + 1) % table.length;
        }
        return n == 0 ? randomEntry() : sample[rnd.nextInt(n)];
    }

    public void forEach(Consumer<Entry> action) {
        for (Entry head : table) {
            for (Entry e = head; e != null; e = e.next) {
                action.accept(e);
            }
        }
    }
}
