package io.rookery.node.types;

import io.rookery.node.keyspace.BinaryKey;
import io.rookery.node.keyspace.TypedValue;
import io.rookery.node.keyspace.ValueType;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A stream (Redis's t_stream.c): entries ordered by id, each a list of field-value pairs, plus the
 * stream's bookkeeping (last id, entries ever added, largest deleted id) and its consumer groups.
 *
 * <p>Redis keeps entries in listpack "nodes" of at most {@code stream-node-max-entries} entries /
 * {@code stream-node-max-bytes} bytes, keyed by their master (first) id, and approximate trimming
 * ({@code ~}) removes whole nodes only. So that {@code XTRIM ~} and {@code XINFO}'s
 * {@code radix-tree-keys} answer as Redis does, this value keeps the same node boundaries beside its
 * entry map: each node counts its live and deleted entries and its approximate listpack size.
 */
public final class StreamValue extends AccountedValue {

    /** One listpack node's bookkeeping, keyed by its master id. */
    static final class Node {
        int live;
        int deleted;
        long bytes;
        StreamId last;
        byte[][] masterFields;
    }

    /** The trim options of XADD and XTRIM; {@code limit} 0 means unlimited. */
    public record Trim(boolean byLength, long maxLength, StreamId minId, boolean approx, long limit) {
    }

    private final TreeMap<StreamId, byte[][]> entries = new TreeMap<>();
    private final TreeMap<StreamId, Node> nodes = new TreeMap<>();
    private final TreeMap<BinaryKey, StreamGroup> groups = new TreeMap<>();
    private StreamId lastId = StreamId.MIN;
    private StreamId firstId = StreamId.MIN;
    private StreamId maxDeletedId = StreamId.MIN;
    private long entriesAdded;
    private long entryBytes;

    public StreamValue(TypeContext ctx) {
        super(ctx);
        account();
    }

    @Override
    public ValueType type() {
        return ValueType.STREAM;
    }

    @Override
    public String encoding() {
        return "stream";
    }

    @Override
    public long size() {
        return entries.size();
    }

    @Override
    protected long computeBytes() {
        long b = 96 + entryBytes + nodes.size() * 64L;
        for (StreamGroup g : groups.values()) {
            b += 96 + g.name().length + g.pel.size() * 96L;
            for (StreamConsumer c : g.consumers.values()) {
                b += 64 + c.name().length;
            }
        }
        return b;
    }

    // ---------------------------------------------------------------- metadata

    public long length() {
        return entries.size();
    }

    public StreamId lastId() {
        return lastId;
    }

    /** The first live entry's id (0-0 when empty), as Redis's first_id. */
    public StreamId firstId() {
        return firstId;
    }

    public StreamId maxDeletedId() {
        return maxDeletedId;
    }

    public long entriesAdded() {
        return entriesAdded;
    }

    /** XSETID and RDB loading: sets the stream's last id, added counter and largest deleted id. */
    public void setMeta(StreamId lastId, long entriesAdded, StreamId maxDeletedId) {
        this.lastId = lastId;
        this.entriesAdded = entriesAdded;
        this.maxDeletedId = maxDeletedId;
    }

    /**
     * Redis's lazy-free effort for a stream: the radix tree's nodes, plus per group one allocation and
     * (estimated from the first group) its pending entries.
     */
    public long freeEffort() {
        long effort = nodes.size() + 1L;
        if (!groups.isEmpty()) {
            effort += (long) groups.size() * (1 + groups.firstEntry().getValue().pel.size());
        }
        return effort;
    }

    /** The number of listpack nodes (XINFO's radix-tree-keys). */
    public int nodeCount() {
        return nodes.size();
    }

    // ---------------------------------------------------------------- entries

    public byte[][] get(StreamId id) {
        return entries.get(id);
    }

    /** The live entries from {@code from} to {@code to} inclusive, in id order (a view). */
    public NavigableMap<StreamId, byte[][]> range(StreamId from, StreamId to) {
        if (from.compareTo(to) > 0) {
            return new TreeMap<>();
        }
        return entries.subMap(from, true, to, true);
    }

    public Map.Entry<StreamId, byte[][]> firstEntry() {
        return entries.firstEntry();
    }

    public Map.Entry<StreamId, byte[][]> lastEntry() {
        return entries.lastEntry();
    }

    /** The last live id, or null when the stream has no entries (streamLastValidID). */
    public StreamId lastLiveId() {
        return entries.isEmpty() ? null : entries.lastKey();
    }

    /**
     * Appends an entry with {@code id}, which the caller checked is greater than {@link #lastId()};
     * {@code fieldsAndValues} alternates fields and values.
     */
    public void append(StreamId id, byte[][] fieldsAndValues) {
        appendEntry(id, fieldsAndValues, ctx.config().streamNodeMaxEntries, ctx.config().streamNodeMaxBytes);
        lastId = id;
        entriesAdded++;
        account();
    }

    /** RDB loading: places an entry in the node keyed {@code master}, as the file grouped it. */
    public void load(StreamId master, StreamId id, byte[][] fieldsAndValues) {
        Node n = nodes.get(master);
        if (n == null) {
            n = new Node();
            n.masterFields = fields(fieldsAndValues);
            n.bytes = 7 + masterBytes(n.masterFields);
            nodes.put(master, n);
        }
        put(n, id, fieldsAndValues);
        account();
    }

    /** RDB loading: a node's tombstones, which still count against {@code stream-node-max-entries}. */
    public void loadDeletedCount(StreamId master, int deleted) {
        Node n = nodes.get(master);
        if (n != null) {
            n.deleted += deleted;
        }
    }

    /** RDB loading ends: recomputes the first id. */
    public void loaded() {
        firstId = entries.isEmpty() ? StreamId.MIN : entries.firstKey();
        account();
    }

    private void appendEntry(StreamId id, byte[][] fv, long maxEntries, long maxBytes) {
        long elementBytes = 0;
        for (byte[] b : fv) {
            elementBytes += b.length;
        }
        Map.Entry<StreamId, Node> tail = nodes.lastEntry();
        Node n = tail == null ? null : tail.getValue();
        if (n != null) {
            long nodeMaxBytes = maxBytes <= 0 || maxBytes > (1L << 30) ? (1L << 30) : maxBytes;
            if (n.bytes + elementBytes >= nodeMaxBytes
                    || (maxEntries > 0 && n.live + n.deleted >= maxEntries)) {
                n = null;
            }
        }
        if (n == null) {
            n = new Node();
            n.masterFields = fields(fv);
            n.bytes = 7 + masterBytes(n.masterFields);
            nodes.put(id, n);
        }
        put(n, id, fv);
        if (entries.size() == 1) {
            firstId = id;
        }
    }

    private void put(Node n, StreamId id, byte[][] fv) {
        entries.put(id, fv);
        n.live++;
        n.last = id;
        long size = entrySize(n, fv);
        n.bytes += size;
        entryBytes += size + 48;
    }

    /** Deletes one entry (XDEL): true when it was there. */
    public boolean delete(StreamId id) {
        byte[][] fv = entries.remove(id);
        if (fv == null) {
            return false;
        }
        Map.Entry<StreamId, Node> e = nodes.floorEntry(id);
        Node n = e.getValue();
        entryBytes -= entrySize(n, fv) + 48;
        n.live--;
        n.deleted++;
        if (n.live == 0) {
            nodes.remove(e.getKey());
        }
        if (id.compareTo(maxDeletedId) > 0) {
            maxDeletedId = id;
        }
        if (entries.isEmpty()) {
            firstId = StreamId.MIN;
        } else if (id.equals(firstId)) {
            firstId = entries.firstKey();
        }
        account();
        return true;
    }

    /**
     * Trims by length or by minimal id as Redis's streamTrim: whole nodes from the head while they may
     * go entirely; then, unless approximate, entries of the next node one by one. {@code limit} (0 for
     * none) caps the entries removed, counted by whole nodes. Returns the number removed.
     */
    public long trim(Trim t) {
        long deleted = 0;
        while (!nodes.isEmpty()) {
            if (t.byLength() && entries.size() <= t.maxLength()) {
                break;
            }
            Map.Entry<StreamId, Node> head = nodes.firstEntry();
            Node n = head.getValue();
            if (t.limit() > 0 && deleted + n.live > t.limit()) {
                break;
            }
            boolean wholeNode = t.byLength()
                    ? entries.size() - n.live >= t.maxLength()
                    : n.last.compareTo(t.minId()) < 0;
            if (wholeNode) {
                NavigableMap<StreamId, byte[][]> inNode = n.last == null ? new TreeMap<>()
                        : entries.subMap(head.getKey(), true, n.last, true);
                for (byte[][] fv : inNode.values()) {
                    entryBytes -= entrySize(n, fv) + 48;
                }
                deleted += inNode.size();
                inNode.clear();
                nodes.remove(head.getKey());
                continue;
            }
            if (t.approx()) {
                break;
            }
            var it = entries.subMap(head.getKey(), true, n.last, true).entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<StreamId, byte[][]> e = it.next();
                boolean stop = t.byLength() ? entries.size() <= t.maxLength() : e.getKey().compareTo(t.minId()) >= 0;
                if (stop) {
                    break;
                }
                entryBytes -= entrySize(n, e.getValue()) + 48;
                it.remove();
                n.live--;
                n.deleted++;
                deleted++;
            }
            break;
        }
        if (entries.isEmpty()) {
            firstId = StreamId.MIN;
        } else if (deleted > 0) {
            firstId = entries.firstKey();
        }
        account();
        return deleted;
    }

    // ---------------------------------------------------------------- listpack size estimate

    private static byte[][] fields(byte[][] fv) {
        byte[][] f = new byte[fv.length / 2][];
        for (int i = 0; i < f.length; i++) {
            f[i] = fv[2 * i];
        }
        return f;
    }

    private static long masterBytes(byte[][] masterFields) {
        long b = 2 + 2 + lpIntSize(masterFields.length) + 2;
        for (byte[] f : masterFields) {
            b += lpSize(f);
        }
        return b;
    }

    /** Bytes one entry takes in its node's listpack (flags, id deltas, fields unless same as master, values, count). */
    private static long entrySize(Node n, byte[][] fv) {
        boolean same = n.masterFields.length == fv.length / 2;
        for (int i = 0; same && i < n.masterFields.length; i++) {
            same = Arrays.equals(n.masterFields[i], fv[2 * i]);
        }
        long b = 2 + 10 + 10 + 2;
        for (int i = 0; i < fv.length; i++) {
            if (same && i % 2 == 0) {
                continue;
            }
            b += lpSize(fv[i]);
        }
        return same ? b : b + lpIntSize(fv.length / 2);
    }

    private static long lpSize(byte[] s) {
        if (s.length <= 20 && io.rookery.protocol.Numbers.isLong(s)) {
            return lpIntSize(io.rookery.protocol.Numbers.parseLong(s));
        }
        int len = s.length;
        int header = len < 64 ? 1 : len < 4096 ? 2 : 5;
        int total = header + len;
        return total + (total < 128 ? 1 : total < 16384 ? 2 : 3);
    }

    private static long lpIntSize(long v) {
        if (v >= 0 && v <= 127) {
            return 2;
        }
        if (v >= -4096 && v <= 4095) {
            return 3;
        }
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            return 4;
        }
        if (v >= -8388608 && v <= 8388607) {
            return 5;
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return 6;
        }
        return 10;
    }

    // ---------------------------------------------------------------- groups

    public StreamGroup group(byte[] name) {
        return groups.get(new BinaryKey(name));
    }

    /** Creates a group; null when one of that name exists. */
    public StreamGroup createGroup(byte[] name, StreamId lastDelivered, long entriesRead) {
        BinaryKey k = new BinaryKey(name);
        if (groups.containsKey(k)) {
            return null;
        }
        StreamGroup g = new StreamGroup(name, lastDelivered, entriesRead);
        groups.put(k, g);
        account();
        return g;
    }

    public boolean destroyGroup(byte[] name) {
        boolean removed = groups.remove(new BinaryKey(name)) != null;
        account();
        return removed;
    }

    public Collection<StreamGroup> groups() {
        return groups.values();
    }

    /** Call after changing a group's PEL or consumers, to keep memory accounting current. */
    public void groupsChanged() {
        account();
    }

    // ---------------------------------------------------------------- lag (Redis 7.0)

    /**
     * Whether ids from {@code start} (null: from the beginning) to {@code end} (null: to the end) may
     * hold a deleted entry, as Redis's streamRangeHasTombstones.
     */
    public boolean rangeHasTombstones(StreamId start, StreamId end) {
        if (entries.isEmpty() || maxDeletedId.isZero()) {
            return false;
        }
        if (firstId.compareTo(maxDeletedId) > 0) {
            return false;
        }
        StreamId s = start == null ? StreamId.MIN : start;
        StreamId e = end == null ? StreamId.MAX : end;
        return s.compareTo(maxDeletedId) <= 0 && maxDeletedId.compareTo(e) <= 0;
    }

    /**
     * The logical read counter of {@code id} (entries from the first ever added), or
     * {@link StreamGroup#INVALID_ENTRIES_READ} when it cannot be known, as Redis's
     * streamEstimateDistanceFromFirstEverEntry.
     */
    public long estimateDistanceFromFirstEverEntry(StreamId id) {
        if (entriesAdded == 0) {
            return 0;
        }
        if (entries.isEmpty() && id.compareTo(lastId) < 1) {
            return entriesAdded;
        }
        int cmpLast = id.compareTo(lastId);
        if (cmpLast == 0) {
            return entriesAdded;
        } else if (cmpLast > 0) {
            return StreamGroup.INVALID_ENTRIES_READ;
        }
        int cmpFirst = id.compareTo(firstId);
        if (maxDeletedId.isZero() || maxDeletedId.compareTo(firstId) < 0) {
            if (cmpFirst < 0) {
                return entriesAdded - entries.size();
            } else if (cmpFirst == 0) {
                return entriesAdded - entries.size() + 1;
            }
        }
        return StreamGroup.INVALID_ENTRIES_READ;
    }

    /** A group's lag as XINFO reports it, or null when it cannot be known (streamReplyWithCGLag). */
    public Long lag(StreamGroup g) {
        if (entriesAdded == 0) {
            return 0L;
        }
        if (g.entriesRead != StreamGroup.INVALID_ENTRIES_READ && !rangeHasTombstones(g.lastId, null)) {
            return entriesAdded - g.entriesRead;
        }
        long read = estimateDistanceFromFirstEverEntry(g.lastId);
        return read == StreamGroup.INVALID_ENTRIES_READ ? null : entriesAdded - read;
    }

    // ---------------------------------------------------------------- copy

    @Override
    public TypedValue copy() {
        StreamValue s = new StreamValue(ctx);
        for (Map.Entry<StreamId, Node> e : nodes.entrySet()) {
            Node n = e.getValue();
            Node c = new Node();
            c.live = n.live;
            c.deleted = n.deleted;
            c.bytes = n.bytes;
            c.last = n.last;
            c.masterFields = n.masterFields;
            s.nodes.put(e.getKey(), c);
        }
        s.entries.putAll(entries);
        s.entryBytes = entryBytes;
        s.lastId = lastId;
        s.firstId = firstId;
        s.maxDeletedId = maxDeletedId;
        s.entriesAdded = entriesAdded;
        for (Map.Entry<BinaryKey, StreamGroup> g : groups.entrySet()) {
            s.groups.put(g.getKey(), g.getValue().copy());
        }
        s.account();
        return s;
    }

    /** The node boundaries, master id to its live entries, for the RDB writer. */
    public NavigableMap<StreamId, NavigableMap<StreamId, byte[][]>> nodesForWriting() {
        TreeMap<StreamId, NavigableMap<StreamId, byte[][]>> out = new TreeMap<>();
        for (Map.Entry<StreamId, Node> e : nodes.entrySet()) {
            if (e.getValue().live > 0) {
                out.put(e.getKey(), entries.subMap(e.getKey(), true, e.getValue().last, true));
            }
        }
        return out;
    }
}
