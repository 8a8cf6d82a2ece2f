package io.rookery.node.command;

import static io.rookery.node.config.KeyspaceEventFlags.STREAM;

import io.rookery.node.blocking.Blocking;
import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.keyspace.Database;
import io.rookery.node.types.StreamId;
import io.rookery.node.types.StreamValue;
import io.rookery.node.types.TypeContext;
import io.rookery.protocol.Numbers;
import io.rookery.protocol.RespWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The stream commands that touch entries (Redis's t_stream.c): XADD, XLEN, XRANGE, XREVRANGE, XDEL,
 * XTRIM and XSETID. XADD propagates the id it generated and approximate trims as exact ones, so that
 * replicas and the AOF end with the same entries.
 */
final class StreamCommands extends CommandGroup {
    private final TypeContext types;
    private final Blocking blocking;

    StreamCommands(CommandBasics basics, TypeContext types, Blocking blocking) {
        super(basics);
        this.types = types;
        this.blocking = blocking;
    }

    void register(CommandRegistry r) {
        r.register("xadd", this::xadd)
                .register("xlen", (c, a) -> {
                    StreamValue s = typed(db(c), a[1], StreamValue.class, false);
                    c.reply().integer(s == null ? 0 : s.length());
                })
                .register("xrange", (c, a) -> range(c, a, false))
                .register("xrevrange", (c, a) -> range(c, a, true))
                .register("xdel", this::xdel)
                .register("xtrim", this::xtrim)
                .register("xsetid", this::xsetid);
    }

    // XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] <*|id> field value [field value ...]
    private void xadd(Client c, byte[][] a) {
        StreamArgs.AddOrTrim opts = StreamArgs.parseAddOrTrim(a, true, config.streamNodeMaxEntries, StreamArgs.replaying(c));
        int idIndex = opts.idIndex();
        int fieldPos = idIndex + 1;
        if (idIndex >= a.length || a.length - fieldPos < 2 || (a.length - fieldPos) % 2 == 1) {
            throw new CommandError(Errors.arity("xadd"));
        }
        boolean auto = a[idIndex].length == 1 && a[idIndex][0] == '*';
        StreamArgs.AddId given = auto ? null : StreamArgs.addId(a[idIndex]);
        if (given != null && given.seqGiven() && given.id().isZero()) {
            throw new CommandError("ERR The ID specified in XADD must be greater than 0-0");
        }
        Database db = db(c);
        StreamValue s = typed(db, a[1], StreamValue.class, true);
        if (s == null) {
            if (opts.noMkStream()) {
                c.reply().nullBulk();
                return;
            }
            s = new StreamValue(types);
            db.add(a[1], s);
        }
        if (s.lastId().equals(StreamId.MAX)) {
            throw new CommandError("ERR The stream has exhausted the last possible ID, unable to add more items");
        }
        StreamId id = nextId(s, given);
        if (id == null || id.compareTo(s.lastId()) <= 0) {
            throw new CommandError("ERR The ID specified in XADD is equal or smaller than the target stream top item");
        }
        s.append(id, Arrays.copyOfRange(a, fieldPos, a.length));
        byte[] idBytes = id.bytes();
        c.reply().bulk(idBytes);
        dirty(1);
        notify(c, STREAM, "xadd", a[1]);
        StreamValue.Trim trim = opts.trim();
        if (trim != null && s.trim(trim) > 0) {
            notify(c, STREAM, "xtrim", a[1]);
        }
        propagateAs(c, propagatedAdd(a, opts, s, idBytes));
        blocking.signal(c.db, a[1]);
    }

    /** The id XADD assigns: the next after the last for "*", the given one, or the given ms with a generated seq. */
    private static StreamId nextId(StreamValue s, StreamArgs.AddId given) {
        StreamId last = s.lastId();
        if (given == null) {
            long now = System.currentTimeMillis();
            if (Long.compareUnsigned(last.ms(), now) < 0) {
                return new StreamId(now, 0);
            }
            return last.next();
        }
        if (given.seqGiven()) {
            return given.id();
        }
        if (last.ms() == given.id().ms()) {
            return last.seq() == -1L ? null : new StreamId(last.ms(), last.seq() + 1);
        }
        return new StreamId(given.id().ms(), 0);
    }

    /**
     * XADD as replicas and the AOF replay it: the generated id in place of "*" or "ms-*", and an
     * approximate trim as an exact one to the length (or first id) it left (a LIMIT stays, and is
     * ignored by the replica, as in Redis).
     */
    private static byte[][] propagatedAdd(byte[][] a, StreamArgs.AddOrTrim opts, StreamValue s, byte[] id) {
        List<byte[]> out = new ArrayList<>();
        out.add(a[0]);
        out.add(a[1]);
        for (int i = 2; i < opts.idIndex(); i++) {
            if (opts.trim() != null && opts.trim().approx() && i == opts.strategyIndex() - 1) {
                out.add(bytes("="));
            } else if (opts.trim() != null && opts.trim().approx() && i == opts.strategyIndex()) {
                out.add(trimmedTo(s, opts.trim()));
            } else {
                out.add(a[i]);
            }
        }
        out.add(id);
        out.addAll(Arrays.asList(a).subList(opts.idIndex() + 1, a.length));
        return out.toArray(new byte[0][]);
    }

    /** What an approximate trim left, as the exact argument that removes the same entries. */
    private static byte[] trimmedTo(StreamValue s, StreamValue.Trim trim) {
        if (trim.byLength()) {
            return Numbers.toBytes(s.length());
        }
        return s.length() == 0 ? trim.minId().bytes() : s.firstId().bytes();
    }

    // XRANGE key start end [COUNT count] / XREVRANGE key end start [COUNT count]
    private void range(Client c, byte[][] a, boolean rev) {
        StreamId start = StreamArgs.interval(rev ? a[3] : a[2], 0, true);
        StreamId end = StreamArgs.interval(rev ? a[2] : a[3], -1L, false);
        long count = -1;
        for (int j = 4; j < a.length; j++) {
            if (Args.is(a[j], "COUNT") && j + 1 < a.length) {
                count = Math.max(0, Args.integer(a[++j]));
            } else {
                throw Errors.syntax();
            }
        }
        StreamValue s = typed(db(c), a[1], StreamValue.class, false);
        if (s == null) {
            c.reply().emptyArray();
            return;
        }
        if (count == 0) {
            c.reply().nullArray();
            return;
        }
        NavigableMap<StreamId, byte[][]> view = s.range(start, end);
        writeEntries(c.reply(), rev ? view.descendingMap() : view, count < 0 ? Long.MAX_VALUE : count);
    }

    /** Replies up to {@code count} entries as [id, [field, value, ...]] pairs. */
    static void writeEntries(RespWriter r, NavigableMap<StreamId, byte[][]> entries, long count) {
        List<Map.Entry<StreamId, byte[][]>> out = first(entries, count);
        r.array(out.size());
        for (Map.Entry<StreamId, byte[][]> e : out) {
            writeEntry(r, e.getKey(), e.getValue());
        }
    }

    /** Up to {@code count} entries of a range view (whose size() would walk it all). */
    static List<Map.Entry<StreamId, byte[][]>> first(NavigableMap<StreamId, byte[][]> entries, long count) {
        List<Map.Entry<StreamId, byte[][]>> out = new ArrayList<>();
        for (Map.Entry<StreamId, byte[][]> e : entries.entrySet()) {
            if (out.size() >= count) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    static void writeEntry(RespWriter r, StreamId id, byte[][] fv) {
        r.array(2);
        r.bulk(id.bytes());
        r.array(fv.length);
        for (byte[] b : fv) {
            r.bulk(b);
        }
    }

    // XDEL key id [id ...]
    private void xdel(Client c, byte[][] a) {
        Database db = db(c);
        StreamValue s = typed(db, a[1], StreamValue.class, true);
        if (s == null) {
            c.reply().integer(0);
            return;
        }
        List<StreamId> ids = new ArrayList<>();
        for (int j = 2; j < a.length; j++) {
            ids.add(StreamArgs.strict(a[j], 0));
        }
        long deleted = 0;
        for (StreamId id : ids) {
            if (s.delete(id)) {
                deleted++;
            }
        }
        if (deleted > 0) {
            notify(c, STREAM, "xdel", a[1]);
            dirty(deleted);
        }
        c.reply().integer(deleted);
    }

    // XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]
    private void xtrim(Client c, byte[][] a) {
        StreamArgs.AddOrTrim opts = StreamArgs.parseAddOrTrim(a, false, config.streamNodeMaxEntries, StreamArgs.replaying(c));
        Database db = db(c);
        StreamValue s = typed(db, a[1], StreamValue.class, true);
        if (s == null) {
            c.reply().integer(0);
            return;
        }
        long deleted = s.trim(opts.trim());
        if (deleted > 0) {
            notify(c, STREAM, "xtrim", a[1]);
            dirty(deleted);
            if (opts.trim().approx()) {
                List<byte[]> out = new ArrayList<>(List.of(a[0], a[1]));
                for (int i = 2; i < a.length; i++) {
                    if (i == opts.strategyIndex() - 1) {
                        out.add(bytes("="));
                    } else if (i == opts.strategyIndex()) {
                        out.add(trimmedTo(s, opts.trim()));
                    } else {
                        out.add(a[i]);
                    }
                }
                propagateAs(c, out.toArray(new byte[0][]));
            }
        }
        c.reply().integer(deleted);
    }

    // XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
    private void xsetid(Client c, byte[][] a) {
        StreamId id = StreamArgs.strict(a[2], 0);
        long entriesAdded = -1;
        StreamId maxDeleted = StreamId.MIN;
        for (int i = 3; i < a.length; i++) {
            boolean more = i + 1 < a.length;
            if (Args.is(a[i], "ENTRIESADDED") && more) {
                entriesAdded = Args.integer(a[++i]);
                if (entriesAdded < 0) {
                    throw new CommandError("ERR entries_added must be positive");
                }
            } else if (Args.is(a[i], "MAXDELETEDID") && more) {
                maxDeleted = StreamArgs.strict(a[++i], 0);
                if (id.compareTo(maxDeleted) < 0) {
                    throw new CommandError("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
            } else {
                throw Errors.syntax();
            }
        }
        StreamValue s = typed(db(c), a[1], StreamValue.class, true);
        if (s == null) {
            throw new CommandError(Errors.NO_SUCH_KEY);
        }
        if (s.length() > 0) {
            if (id.compareTo(s.lastLiveId()) < 0) {
                throw new CommandError("ERR The ID specified in XSETID is smaller than the target stream top item");
            }
            if (entriesAdded != -1 && s.length() > entriesAdded) {
                throw new CommandError("ERR The entries_added specified in XSETID is smaller than the target stream length");
            }
        }
        s.setMeta(id, entriesAdded != -1 ? entriesAdded : s.entriesAdded(), maxDeleted.isZero() ? s.maxDeletedId() : maxDeleted);
        c.reply().ok();
        dirty(1);
        notify(c, STREAM, "xsetid", a[1]);
    }
}
