package io.rookery.node.rdb;

import io.rookery.node.types.StreamConsumer;
import io.rookery.node.types.StreamGroup;
import io.rookery.node.types.StreamId;
import io.rookery.node.types.StreamPending;
import io.rookery.node.types.StreamValue;
import io.rookery.node.types.TypeContext;
import io.rookery.protocol.Numbers;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * A stream in RDB, as Redis 7.0's rdb.c writes type 19 (STREAM_LISTPACKS_2) and reads types 15 and 19.
 * All lengths and id parts are unsigned 64-bit RDB lengths; times are 8-byte little-endian ms.
 *
 * <pre>
 * stream    = nodes:len *(master-key:string(16-byte big-endian id) listpack:string)
 *             length:len last-ms:len last-seq:len
 *             [first-ms:len first-seq:len maxdel-ms:len maxdel-seq:len entries-added:len]   ; type 19 only
 *             groups:len *group
 * group     = name:string last-ms:len last-seq:len [entries-read:len]                     ; type 19 only
 *             pel:len *(id:16 bytes delivery-time:ms8 delivery-count:len)
 *             consumers:len *(name:string seen-time:ms8 pel:len *(id:16 bytes))
 * listpack  = count deleted master-fields-count *master-field 0
 *             *(flags ms-delta seq-delta [fields-count *(field value) | *value] lp-count)
 *             ; flags: 1 deleted, 2 same fields as the master entry
 * </pre>
 */
final class StreamCodec {
    private static final int FLAG_DELETED = 1;
    private static final int FLAG_SAME_FIELDS = 2;

    private StreamCodec() {
    }

    // ---------------------------------------------------------------- writing

    static void write(RdbOutput out, StreamValue s) {
        NavigableMap<StreamId, NavigableMap<StreamId, byte[][]>> nodes = s.nodesForWriting();
        out.writeLength(nodes.size());
        for (Map.Entry<StreamId, NavigableMap<StreamId, byte[][]>> node : nodes.entrySet()) {
            out.writeString(node.getKey().encode());
            out.writeString(listpack(node.getKey(), node.getValue()));
        }
        writeUnsigned(out, s.length());
        writeId(out, s.lastId());
        writeId(out, s.firstId());
        writeId(out, s.maxDeletedId());
        writeUnsigned(out, s.entriesAdded());
        writeUnsigned(out, s.groups().size());
        for (StreamGroup g : s.groups()) {
            out.writeString(g.name());
            writeId(out, g.lastId);
            writeUnsigned(out, g.entriesRead);
            writeUnsigned(out, g.pel.size());
            for (StreamPending p : g.pel.values()) {
                out.writeBytes(p.id.encode());
                out.writeLittleEndian(p.deliveryTime, 8);
                writeUnsigned(out, p.deliveryCount);
            }
            writeUnsigned(out, g.consumers.size());
            for (StreamConsumer c : g.consumers.values()) {
                out.writeString(c.name());
                out.writeLittleEndian(c.seenTime, 8);
                writeUnsigned(out, c.pel.size());
                for (StreamId id : c.pel.keySet()) {
                    out.writeBytes(id.encode());
                }
            }
        }
    }

    /** One node's listpack: the master entry takes the first entry's fields; only live entries are written. */
    static byte[] listpack(StreamId master, NavigableMap<StreamId, byte[][]> entries) {
        byte[][] first = entries.firstEntry().getValue();
        int masterFields = first.length / 2;
        ListpackWriter lp = new ListpackWriter();
        lp.add(entries.size()).add(0).add(masterFields);
        for (int i = 0; i < masterFields; i++) {
            lp.add(first[2 * i]);
        }
        lp.add(0);
        for (Map.Entry<StreamId, byte[][]> e : entries.entrySet()) {
            byte[][] fv = e.getValue();
            boolean same = fv.length / 2 == masterFields;
            for (int i = 0; same && i < masterFields; i++) {
                same = Arrays.equals(fv[2 * i], first[2 * i]);
            }
            lp.add(same ? FLAG_SAME_FIELDS : 0);
            lp.add(e.getKey().ms() - master.ms());
            lp.add(e.getKey().seq() - master.seq());
            if (same) {
                for (int i = 0; i < masterFields; i++) {
                    lp.add(fv[2 * i + 1]);
                }
                lp.add(3 + masterFields);
            } else {
                lp.add(fv.length / 2);
                for (byte[] b : fv) {
                    lp.add(b);
                }
                lp.add(4 + fv.length);
            }
        }
        return lp.toByteArray();
    }

    private static void writeId(RdbOutput out, StreamId id) {
        writeUnsigned(out, id.ms());
        writeUnsigned(out, id.seq());
    }

    /** rdbSaveLen of a uint64: values that do not fit 32 bits (or are "negative" in Java) take the 64-bit form. */
    private static void writeUnsigned(RdbOutput out, long v) {
        if (v >= 0) {
            out.writeLength(v);
            return;
        }
        out.writeByte(RdbConstants.LEN_64BIT);
        for (int s = 56; s >= 0; s -= 8) {
            out.writeByte((int) (v >> s) & 0xff);
        }
    }

    // ---------------------------------------------------------------- reading

    static StreamValue read(int type, RdbInput in, TypeContext ctx) throws RdbFormatException {
        boolean v2 = type == RdbConstants.TYPE_STREAM_LISTPACKS_2;
        StreamValue s = new StreamValue(ctx);
        long nodes = readUnsigned(in);
        for (long n = 0; n < nodes; n++) {
            byte[] key = in.readString();
            if (key.length != 16) {
                throw new RdbFormatException("Stream node key entry is not the size of a stream ID");
            }
            StreamId master = StreamId.decode(key, 0);
            List<byte[]> lp = PackedFormats.listpack(in.readString());
            if (lp.isEmpty()) {
                throw new RdbFormatException("Empty listpack inside stream");
            }
            readNode(s, master, lp);
        }
        long length = readUnsigned(in);
        StreamId last = readId(in);
        StreamId maxDeleted = StreamId.MIN;
        long entriesAdded = length;
        if (v2) {
            readId(in); // first id: recomputed from the entries
            maxDeleted = readId(in);
            entriesAdded = readUnsigned(in);
        }
        s.loaded();
        if (s.length() != length) {
            throw new RdbFormatException("stream length " + length + " does not match its " + s.length() + " entries");
        }
        s.setMeta(last, entriesAdded, maxDeleted);
        long groups = readUnsigned(in);
        for (long g = 0; g < groups; g++) {
            byte[] name = in.readString();
            StreamId groupLast = readId(in);
            long entriesRead = v2 ? readUnsigned(in) : s.estimateDistanceFromFirstEverEntry(groupLast);
            StreamGroup group = s.createGroup(name, groupLast, entriesRead);
            if (group == null) {
                throw new RdbFormatException("Duplicated consumer group name " + new String(name, java.nio.charset.StandardCharsets.UTF_8));
            }
            long pel = readUnsigned(in);
            for (long i = 0; i < pel; i++) {
                StreamId id = StreamId.decode(in.readBytes(16), 0);
                long time = in.readLittleEndian(8);
                long count = readUnsigned(in);
                if (group.pel.put(id, new StreamPending(id, null, time, count)) != null) {
                    throw new RdbFormatException("Duplicated global PEL entry loading stream consumer group");
                }
            }
            long consumers = readUnsigned(in);
            for (long i = 0; i < consumers; i++) {
                byte[] cname = in.readString();
                long seen = in.readLittleEndian(8);
                StreamConsumer c = group.createConsumer(cname, seen);
                if (c == null) {
                    throw new RdbFormatException("Duplicate stream consumer detected.");
                }
                long owned = readUnsigned(in);
                for (long k = 0; k < owned; k++) {
                    StreamId id = StreamId.decode(in.readBytes(16), 0);
                    StreamPending p = group.pel.get(id);
                    if (p == null) {
                        throw new RdbFormatException("Consumer entry not found in group global PEL");
                    }
                    p.consumer = c;
                    c.pel.put(id, p);
                }
            }
            for (StreamPending p : group.pel.values()) {
                if (p.consumer == null) {
                    throw new RdbFormatException("Stream CG PEL entry without consumer");
                }
            }
        }
        s.groupsChanged();
        return s;
    }

    /** Adds the live entries of one node's listpack (see the class grammar); tombstones are counted, not kept. */
    private static void readNode(StreamValue s, StreamId master, List<byte[]> lp) throws RdbFormatException {
        int p = 0;
        long count = num(lp, p++);
        long deleted = num(lp, p++);
        int masterFields = (int) num(lp, p++);
        if (masterFields < 0 || p + masterFields >= lp.size()) {
            throw new RdbFormatException("bad stream master entry");
        }
        byte[][] fields = lp.subList(p, p + masterFields).toArray(new byte[0][]);
        p += masterFields;
        if (num(lp, p++) != 0) {
            throw new RdbFormatException("bad stream master entry terminator");
        }
        long live = 0;
        long dead = 0;
        while (p < lp.size()) {
            long flags = num(lp, p++);
            StreamId id = new StreamId(master.ms() + num(lp, p++), master.seq() + num(lp, p++));
            byte[][] fv;
            if ((flags & FLAG_SAME_FIELDS) != 0) {
                fv = new byte[masterFields * 2][];
                for (int i = 0; i < masterFields; i++) {
                    fv[2 * i] = fields[i];
                    fv[2 * i + 1] = item(lp, p++);
                }
            } else {
                int n = (int) num(lp, p++);
                if (n < 0 || p + 2L * n > lp.size()) {
                    throw new RdbFormatException("bad stream entry field count");
                }
                fv = lp.subList(p, p + 2 * n).toArray(new byte[0][]);
                p += 2 * n;
            }
            num(lp, p++); // lp-count
            if ((flags & FLAG_DELETED) != 0) {
                dead++;
            } else {
                if (fv.length == 0) {
                    throw new RdbFormatException("stream entry without fields");
                }
                s.load(master, id, fv);
                live++;
            }
        }
        if (live != count || dead != deleted) {
            throw new RdbFormatException("stream node counters do not match its entries");
        }
        s.loadDeletedCount(master, (int) dead);
    }

    private static byte[] item(List<byte[]> lp, int i) throws RdbFormatException {
        if (i >= lp.size()) {
            throw new RdbFormatException("truncated stream listpack");
        }
        return lp.get(i);
    }

    private static long num(List<byte[]> lp, int i) throws RdbFormatException {
        byte[] b = item(lp, i);
        if (!Numbers.isLong(b)) {
            throw new RdbFormatException("expected an integer in a stream listpack");
        }
        return Numbers.parseLong(b);
    }

    private static StreamId readId(RdbInput in) throws RdbFormatException {
        return new StreamId(readUnsigned(in), readUnsigned(in));
    }

    /** rdbLoadLen as an unsigned 64-bit value. */
    private static long readUnsigned(RdbInput in) throws RdbFormatException {
        int first = in.readByte();
        return switch (first >> 6) {
            case 0 -> first & 0x3f;
            case 1 -> ((first & 0x3f) << 8) | in.readByte();
            default -> {
                if (first == RdbConstants.LEN_32BIT) {
                    yield in.readBigEndian(4);
                }
                if (first == RdbConstants.LEN_64BIT) {
                    yield in.readBigEndian(8);
                }
                throw new RdbFormatException("unknown length encoding " + first);
            }
        };
    }
}
