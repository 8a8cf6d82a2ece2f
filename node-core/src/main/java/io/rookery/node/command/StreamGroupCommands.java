package io.rookery.node.command;

import static io.rookery.node.config.KeyspaceEventFlags.STREAM;

import io.rookery.node.blocking.Blocking;
import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.keyspace.Database;
import io.rookery.node.types.StreamConsumer;
import io.rookery.node.types.StreamGroup;
import io.rookery.node.types.StreamId;
import io.rookery.node.types.StreamPending;
import io.rookery.node.types.StreamValue;
import io.rookery.node.types.TypeContext;
import io.rookery.protocol.Numbers;
import io.rookery.protocol.RespWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Consumer group commands (Redis's t_stream.c): XGROUP, XACK, XPENDING, XCLAIM and XAUTOCLAIM. Claims
 * propagate as the idempotent XCLAIM Redis emits (TIME, RETRYCOUNT, FORCE, JUSTID, LASTID), so a
 * replica's pending lists match the primary's.
 */
final class StreamGroupCommands extends CommandGroup {
    private final TypeContext types;
    private final Blocking blocking;

    StreamGroupCommands(CommandBasics basics, TypeContext types, Blocking blocking) {
        super(basics);
        this.types = types;
        this.blocking = blocking;
    }

    void register(CommandRegistry r) {
        r.register("xgroup|create", this::create)
                .register("xgroup|setid", this::setId)
                .register("xgroup|destroy", this::destroy)
                .register("xgroup|createconsumer", this::createConsumer)
                .register("xgroup|delconsumer", this::delConsumer)
                .register("xgroup|help", (c, a) -> Help.reply(c.reply(), "XGROUP",
                        "CREATE <key> <groupname> <id|$> [option]",
                        "    Create a new consumer group. Options are:",
                        "    * MKSTREAM",
                        "      Create the empty stream if it does not exist.",
                        "    * ENTRIESREAD entries_read",
                        "      Set the group's entries_read counter (internal use).",
                        "CREATECONSUMER <key> <groupname> <consumer>",
                        "    Create a new consumer in the specified group.",
                        "DELCONSUMER <key> <groupname> <consumer>",
                        "    Remove the specified consumer.",
                        "DESTROY <key> <groupname>",
                        "    Remove the specified group.",
                        "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
                        "    Set the current group ID and entries_read counter.",
                        "HELP", "    Prints this help."))
                .register("xack", this::xack)
                .register("xpending", this::xpending)
                .register("xclaim", this::xclaim)
                .register("xautoclaim", this::xautoclaim);
    }

    private static CommandError subcommandSyntax(byte[][] a) {
        return new CommandError("ERR unknown subcommand or wrong number of arguments for '" + Args.text(a[1])
                + "'. Try XGROUP HELP.");
    }

    /** The stream an XGROUP subcommand works on; the error Redis gives when it is missing. */
    private StreamValue existing(Database db, byte[] key) {
        StreamValue s = typed(db, key, StreamValue.class, true);
        if (s == null) {
            throw new CommandError("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may "
                    + "want to use the MKSTREAM option to create an empty stream automatically.");
        }
        return s;
    }

    private static StreamGroup group(StreamValue s, byte[] key, byte[] name) {
        StreamGroup g = s.group(name);
        if (g == null) {
            throw new CommandError("NOGROUP No such consumer group '" + Args.text(name) + "' for key name '"
                    + Args.text(key) + "'");
        }
        return g;
    }

    /** Parses XGROUP CREATE/SETID options from argument 5: MKSTREAM (CREATE only), ENTRIESREAD n. */
    private static long[] options(byte[][] a, boolean create) {
        long mkstream = 0;
        long entriesRead = StreamGroup.INVALID_ENTRIES_READ;
        for (int i = 5; i < a.length; ) {
            if (create && Args.is(a[i], "MKSTREAM")) {
                mkstream = 1;
                i++;
            } else if (Args.is(a[i], "ENTRIESREAD") && i + 1 < a.length) {
                entriesRead = Args.integer(a[i + 1]);
                if (entriesRead < 0 && entriesRead != StreamGroup.INVALID_ENTRIES_READ) {
                    throw new CommandError("ERR value for ENTRIESREAD must be positive or -1");
                }
                i += 2;
            } else {
                throw subcommandSyntax(a);
            }
        }
        return new long[]{mkstream, entriesRead};
    }

    // XGROUP CREATE key group <id|$> [MKSTREAM] [ENTRIESREAD n]
    private void create(Client c, byte[][] a) {
        long[] opts = options(a, true);
        boolean mkstream = opts[0] == 1;
        Database db = db(c);
        StreamValue s = typed(db, a[2], StreamValue.class, true);
        if (s == null && !mkstream) {
            existing(db, a[2]);
        }
        if (a.length > 8) {
            throw subcommandSyntax(a);
        }
        StreamId id;
        if (a[4].length == 1 && a[4][0] == '$') {
            id = s == null ? StreamId.MIN : s.lastId();
        } else {
            id = StreamArgs.strict(a[4], 0);
        }
        if (s == null) {
            s = new StreamValue(types);
            db.add(a[2], s);
        }
        if (s.createGroup(a[3], id, opts[1]) == null) {
            throw new CommandError("BUSYGROUP Consumer Group name already exists");
        }
        c.reply().ok();
        dirty(1);
        notify(c, STREAM, "xgroup-create", a[2]);
    }

    // XGROUP SETID key group <id|$> [ENTRIESREAD n]
    private void setId(Client c, byte[][] a) {
        if (a.length != 5 && a.length != 7) {
            throw subcommandSyntax(a);
        }
        long[] opts = options(a, false);
        StreamValue s = existing(db(c), a[2]);
        StreamGroup g = group(s, a[2], a[3]);
        StreamId id = a[4].length == 1 && a[4][0] == '$' ? s.lastId() : StreamArgs.loose(a[4], 0);
        g.lastId = id;
        g.entriesRead = opts[1];
        c.reply().ok();
        dirty(1);
        notify(c, STREAM, "xgroup-setid", a[2]);
    }

    // XGROUP DESTROY key group: 1 when it existed; blocked XREADGROUPs on it fail with NOGROUP.
    private void destroy(Client c, byte[][] a) {
        StreamValue s = existing(db(c), a[2]);
        if (!s.destroyGroup(a[3])) {
            c.reply().integer(0);
            return;
        }
        c.reply().integer(1);
        dirty(1);
        notify(c, STREAM, "xgroup-destroy", a[2]);
        blocking.signal(c.db, a[2]);
    }

    // XGROUP CREATECONSUMER key group consumer: 1 when created.
    private void createConsumer(Client c, byte[][] a) {
        StreamValue s = existing(db(c), a[2]);
        StreamGroup g = group(s, a[2], a[3]);
        StreamConsumer created = g.createConsumer(a[4], System.currentTimeMillis());
        if (created != null) {
            dirty(1);
            notify(c, STREAM, "xgroup-createconsumer", a[2]);
            s.groupsChanged();
        }
        c.reply().integer(created != null ? 1 : 0);
    }

    // XGROUP DELCONSUMER key group consumer: how many entries it had pending.
    private void delConsumer(Client c, byte[][] a) {
        StreamValue s = existing(db(c), a[2]);
        StreamGroup g = group(s, a[2], a[3]);
        StreamConsumer consumer = g.consumer(a[4]);
        long pending = 0;
        if (consumer != null) {
            pending = g.deleteConsumer(consumer);
            dirty(1);
            notify(c, STREAM, "xgroup-delconsumer", a[2]);
            s.groupsChanged();
        }
        c.reply().integer(pending);
    }

    // XACK key group id [id ...]
    private void xack(Client c, byte[][] a) {
        StreamValue s = typed(db(c), a[1], StreamValue.class, false);
        StreamGroup g = s == null ? null : s.group(a[2]);
        if (g == null) {
            c.reply().integer(0);
            return;
        }
        List<StreamId> ids = new ArrayList<>();
        for (int j = 3; j < a.length; j++) {
            ids.add(StreamArgs.strict(a[j], 0));
        }
        long acked = 0;
        for (StreamId id : ids) {
            if (g.ack(id)) {
                acked++;
            }
        }
        if (acked > 0) {
            dirty(acked);
            s.groupsChanged();
        }
        c.reply().integer(acked);
    }

    private static CommandError noGroup(byte[] key, byte[] group) {
        return new CommandError("NOGROUP No such key '" + Args.text(key) + "' or consumer group '" + Args.text(group) + "'");
    }

    // XPENDING key group [[IDLE min-idle] start end count [consumer]]
    private void xpending(Client c, byte[][] a) {
        boolean summary = a.length == 3;
        if (a.length != 3 && (a.length < 6 || a.length > 9)) {
            throw Errors.syntax();
        }
        long minIdle = 0;
        long count = 0;
        StreamId start = null;
        StreamId end = null;
        byte[] consumerName = null;
        if (!summary) {
            int at = 3;
            if (Args.is(a[3], "IDLE")) {
                minIdle = Args.integer(a[4]);
                if (a.length < 8) {
                    throw Errors.syntax();
                }
                at += 2;
            }
            count = Math.max(0, Args.integer(a[at + 2]));
            start = StreamArgs.interval(a[at], 0, true);
            end = StreamArgs.interval(a[at + 1], -1L, false);
            if (at + 3 < a.length) {
                consumerName = a[at + 3];
            }
        }
        StreamValue s = typed(db(c), a[1], StreamValue.class, false);
        StreamGroup g = s == null ? null : s.group(a[2]);
        if (g == null) {
            throw noGroup(a[1], a[2]);
        }
        RespWriter r = c.reply();
        if (summary) {
            r.array(4);
            r.integer(g.pel.size());
            if (g.pel.isEmpty()) {
                r.nullBulk();
                r.nullBulk();
                r.nullArray();
                return;
            }
            r.bulk(g.pel.firstKey().bytes());
            r.bulk(g.pel.lastKey().bytes());
            List<StreamConsumer> withPending = new ArrayList<>();
            for (StreamConsumer consumer : g.consumers.values()) {
                if (!consumer.pel.isEmpty()) {
                    withPending.add(consumer);
                }
            }
            r.array(withPending.size());
            for (StreamConsumer consumer : withPending) {
                r.array(2);
                r.bulk(consumer.name());
                r.bulk(Numbers.toBytes(consumer.pel.size()));
            }
            return;
        }
        Map<StreamId, StreamPending> pel = g.pel;
        if (consumerName != null) {
            StreamConsumer consumer = g.consumer(consumerName);
            if (consumer == null) {
                r.emptyArray();
                return;
            }
            pel = consumer.pel;
        }
        long now = System.currentTimeMillis();
        List<StreamPending> out = new ArrayList<>();
        if (start.compareTo(end) <= 0) {
            for (StreamPending p : ((java.util.NavigableMap<StreamId, StreamPending>) pel).subMap(start, true, end, true).values()) {
                if (out.size() >= count) {
                    break;
                }
                if (minIdle > 0 && now - p.deliveryTime < minIdle) {
                    continue;
                }
                out.add(p);
            }
        }
        r.array(out.size());
        for (StreamPending p : out) {
            r.array(4);
            r.bulk(p.id.bytes());
            r.bulk(p.consumer.name());
            r.integer(Math.max(0, now - p.deliveryTime));
            r.integer(p.deliveryCount);
        }
    }

    /** Propagates a claim of {@code p} (or the drop of a deleted entry's claim) as Redis's idempotent XCLAIM. */
    private void propagateClaim(Client c, byte[] key, StreamGroup g, StreamId id, StreamPending p) {
        dispatcher.propagation().add(c.db, bytes("XCLAIM"), key, g.name(), p.consumer.name(), bytes("0"), id.bytes(),
                bytes("TIME"), Numbers.toBytes(p.deliveryTime), bytes("RETRYCOUNT"), Numbers.toBytes(p.deliveryCount),
                bytes("FORCE"), bytes("JUSTID"), bytes("LASTID"), g.lastId.bytes());
    }

    // XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME ms] [RETRYCOUNT n] [FORCE] [JUSTID] [LASTID id]
    private void xclaim(Client c, byte[][] a) {
        Database db = db(c);
        StreamValue s = typed(db, a[1], StreamValue.class, false);
        StreamGroup g = s == null ? null : s.group(a[2]);
        if (g == null) {
            throw noGroup(a[1], a[2]);
        }
        long minIdle = Math.max(0, Args.integer(a[4], "ERR Invalid min-idle-time argument for XCLAIM"));
        List<StreamId> ids = new ArrayList<>();
        int j = 5;
        for (; j < a.length; j++) {
            StreamId id = a[j].length == 1 && (a[j][0] == '-' || a[j][0] == '+') || a[j].length > 127
                    ? null : StreamId.parse(a[j], 0);
            if (id == null) {
                break;
            }
            ids.add(id);
        }
        long now = System.currentTimeMillis();
        long retryCount = -1;
        long deliveryTime = -1;
        boolean force = false;
        boolean justId = false;
        StreamId lastId = StreamId.MIN;
        for (; j < a.length; j++) {
            boolean more = j + 1 < a.length;
            if (Args.is(a[j], "FORCE")) {
                force = true;
            } else if (Args.is(a[j], "JUSTID")) {
                justId = true;
            } else if (Args.is(a[j], "IDLE") && more) {
                deliveryTime = now - Args.integer(a[++j], "ERR Invalid IDLE option argument for XCLAIM");
            } else if (Args.is(a[j], "TIME") && more) {
                deliveryTime = Args.integer(a[++j], "ERR Invalid TIME option argument for XCLAIM");
            } else if (Args.is(a[j], "RETRYCOUNT") && more) {
                retryCount = Args.integer(a[++j], "ERR Invalid RETRYCOUNT option argument for XCLAIM");
            } else if (Args.is(a[j], "LASTID") && more) {
                lastId = StreamArgs.strict(a[++j], 0);
            } else {
                throw new CommandError("ERR Unrecognized XCLAIM option '" + Args.text(a[j]) + "'");
            }
        }
        dispatcher.propagation().suppress();
        boolean propagateLastId = false;
        if (lastId.compareTo(g.lastId) > 0) {
            g.lastId = lastId;
            propagateLastId = true;
        }
        if (deliveryTime != -1) {
            if (deliveryTime < 0 || deliveryTime > now) {
                deliveryTime = now;
            }
        } else {
            deliveryTime = now;
        }
        StreamConsumer consumer = null;
        RespWriter r = c.reply();
        List<Object> replies = new ArrayList<>();
        for (StreamId id : ids) {
            StreamPending p = g.pel.get(id);
            byte[][] fv = s.get(id);
            if (fv == null) {
                if (p != null) {
                    propagateClaim(c, a[1], g, id, p);
                    propagateLastId = false;
                    dirty(1);
                    g.ack(id);
                }
                continue;
            }
            if (force && p == null) {
                p = new StreamPending(id, null, now, 0);
                g.pel.put(id, p);
            }
            if (p == null) {
                continue;
            }
            if (p.consumer != null && minIdle > 0 && now - p.deliveryTime < minIdle) {
                continue;
            }
            if (consumer == null) {
                consumer = claimant(c, g, a[3], a[1]);
            }
            if (p.consumer != consumer && p.consumer != null) {
                p.consumer.pel.remove(id);
            }
            p.deliveryTime = deliveryTime;
            if (retryCount >= 0) {
                p.deliveryCount = retryCount;
            } else if (!justId) {
                p.deliveryCount++;
            }
            if (p.consumer != consumer) {
                consumer.pel.put(id, p);
                p.consumer = consumer;
            }
            replies.add(justId ? id : new Object[]{id, fv});
            propagateClaim(c, a[1], g, id, p);
            propagateLastId = false;
            dirty(1);
        }
        if (propagateLastId) {
            dispatcher.propagation().add(c.db, bytes("XGROUP"), bytes("SETID"), a[1], g.name(), g.lastId.bytes(),
                    bytes("ENTRIESREAD"), Numbers.toBytes(g.entriesRead));
            dirty(1);
        }
        s.groupsChanged();
        r.array(replies.size());
        writeClaimed(r, replies);
    }

    private static void writeClaimed(RespWriter r, List<Object> replies) {
        for (Object o : replies) {
            if (o instanceof StreamId id) {
                r.bulk(id.bytes());
            } else {
                Object[] e = (Object[]) o;
                StreamCommands.writeEntry(r, (StreamId) e[0], (byte[][]) e[1]);
            }
        }
    }

    /** The consumer a claim goes to, seen now; created when new. */
    private StreamConsumer claimant(Client c, StreamGroup g, byte[] name, byte[] key) {
        long now = System.currentTimeMillis();
        StreamConsumer consumer = g.consumer(name);
        if (consumer != null) {
            consumer.seenTime = now;
            return consumer;
        }
        consumer = g.createConsumer(name, now);
        dirty(1);
        notify(c, STREAM, "xgroup-createconsumer", key);
        return consumer;
    }

    // XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
    private void xautoclaim(Client c, byte[][] a) {
        long minIdle = Math.max(0, Args.integer(a[4], "ERR Invalid min-idle-time argument for XAUTOCLAIM"));
        StreamId start = StreamArgs.interval(a[5], 0, true);
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < a.length; j++) {
            boolean more = j + 1 < a.length;
            if (Args.is(a[j], "COUNT") && more) {
                long max = Long.MAX_VALUE / 16;
                count = Args.integer(a[j + 1], "ERR COUNT must be > 0");
                if (count < 1 || count > max) {
                    throw new CommandError("ERR COUNT must be > 0");
                }
                j++;
            } else if (Args.is(a[j], "JUSTID")) {
                justId = true;
            } else {
                throw Errors.syntax();
            }
        }
        StreamValue s = typed(db(c), a[1], StreamValue.class, false);
        StreamGroup g = s == null ? null : s.group(a[2]);
        if (g == null) {
            throw noGroup(a[1], a[2]);
        }
        dispatcher.propagation().suppress();
        long attempts = count * 10;
        long now = System.currentTimeMillis();
        List<StreamPending> candidates = new ArrayList<>(g.pel.tailMap(start, true).values());
        List<Object> replies = new ArrayList<>();
        List<StreamId> deleted = new ArrayList<>();
        StreamConsumer consumer = null;
        int next = 0;
        while (attempts-- > 0 && count > 0 && next < candidates.size()) {
            StreamPending p = candidates.get(next++);
            StreamId id = p.id;
            byte[][] fv = s.get(id);
            if (fv == null) {
                propagateClaim(c, a[1], g, id, p);
                dirty(1);
                g.ack(id);
                deleted.add(id);
                count--;
                continue;
            }
            if (minIdle > 0 && now - p.deliveryTime < minIdle) {
                continue;
            }
            if (consumer == null) {
                consumer = claimant(c, g, a[3], a[1]);
            }
            if (p.consumer != consumer) {
                p.consumer.pel.remove(id);
            }
            p.deliveryTime = now;
            if (!justId) {
                p.deliveryCount++;
            }
            if (p.consumer != consumer) {
                consumer.pel.put(id, p);
                p.consumer = consumer;
            }
            replies.add(justId ? id : new Object[]{id, fv});
            count--;
            propagateClaim(c, a[1], g, id, p);
            dirty(1);
        }
        s.groupsChanged();
        StreamId endId = next < candidates.size() ? candidates.get(next).id : StreamId.MIN;
        RespWriter r = c.reply();
        r.array(3);
        r.bulk(endId.bytes());
        r.array(replies.size());
        writeClaimed(r, replies);
        r.array(deleted.size());
        for (StreamId id : deleted) {
            r.bulk(id.bytes());
        }
    }
}
