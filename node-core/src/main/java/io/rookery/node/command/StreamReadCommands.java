package io.rookery.node.command;

import io.rookery.node.blocking.Blocking;
import io.rookery.node.client.Client;
import io.rookery.node.client.DetachedConnection;
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
import io.rookery.protocol.Numbers;
import io.rookery.protocol.RespWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * XREAD and XREADGROUP (Redis's xreadCommand): serve at once from every stream that has entries after
 * the given id, else block on the keys until a write feeds one. A group read creates or reassigns
 * pending entries and advances the group; it propagates as XCLAIM per delivered entry (and XGROUP
 * SETID / CREATECONSUMER for NOACK reads), never as itself.
 *
 * <p>Blocked clients are woken by any write to their keys (see {@link #register}): an XREADGROUP
 * whose key was deleted or replaced fails with UNBLOCKED, one whose group was destroyed with NOGROUP.
 */
final class StreamReadCommands extends CommandGroup {
    /** Redis's XREAD_BLOCKED_DEFAULT_COUNT: a blocked read without COUNT serves at most this many. */
    private static final long BLOCKED_DEFAULT_COUNT = 1000;
    private static final StreamId NEW_ENTRIES = StreamId.MAX; // ">" as Redis marks it

    private final Blocking blocking;

    StreamReadCommands(CommandBasics basics, Blocking blocking) {
        super(basics);
        this.blocking = blocking;
    }

    void register(CommandRegistry r) {
        r.register("xread", (c, a) -> read(c, a, false))
                .register("xreadgroup", (c, a) -> read(c, a, true));
        // Any write may delete, replace or feed a stream a client waits on: wake the waiters of the
        // keys it touched (of every key for FLUSHALL, FLUSHDB and SWAPDB, which name none).
        dispatcher.addWriteObserver((client, spec, args, db) -> {
            if (blocking.blockedCount() == 0) {
                return;
            }
            int[] keys = spec.keyPositions(args);
            if (keys.length == 0) {
                blocking.signalAll();
            }
            for (int p : keys) {
                blocking.signal(db, args[p]);
            }
        });
    }

    private record Request(boolean group, byte[] groupName, byte[] consumer, boolean noack, long count,
                           long timeoutMillis, List<byte[]> keys, StreamId[] ids) {
    }

    private void read(Client c, byte[][] a, boolean xreadgroup) {
        Request q = parse(c, a, xreadgroup);
        Database db = db(c);
        dispatcher.propagation().suppress();
        StreamGroup[] groups = new StreamGroup[q.keys().size()];
        for (int i = 0; i < q.keys().size(); i++) {
            byte[] key = q.keys().get(i);
            StreamValue s = typed(db, key, StreamValue.class, false);
            byte[] idArg = a[a.length - q.keys().size() + i];
            if (q.group()) {
                StreamGroup g = s == null ? null : s.group(q.groupName());
                if (g == null) {
                    throw new CommandError("NOGROUP No such key '" + Args.text(key) + "' or consumer group '"
                            + Args.text(q.groupName()) + "' in XREADGROUP with GROUP option");
                }
                groups[i] = g;
            }
            if (idArg.length == 1 && idArg[0] == '$') {
                if (xreadgroup) {
                    throw new CommandError("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the "
                            + "history of this consumer by specifying a proper ID, or use the > ID to get new messages. "
                            + "The $ ID would just return an empty result set.");
                }
                q.ids()[i] = s == null ? StreamId.MIN : s.lastId();
            } else if (idArg.length == 1 && idArg[0] == '>') {
                if (!xreadgroup) {
                    throw new CommandError("ERR The > ID can be specified only when calling XREADGROUP using the GROUP "
                            + "<group> <consumer> option.");
                }
                q.ids()[i] = NEW_ENTRIES;
            } else {
                q.ids()[i] = StreamArgs.strict(idArg, 0);
            }
        }
        if (serveNow(c, db, q, groups)) {
            return;
        }
        if (q.timeoutMillis() < 0 || c.inExec) {
            c.reply().nullArray();
            return;
        }
        int dbIndex = c.db;
        long count = q.count() == 0 ? BLOCKED_DEFAULT_COUNT : q.count();
        blocking.block(c, dbIndex, q.keys(), q.timeoutMillis(), new Blocking.Waiter() {
            @Override
            public boolean serve(byte[] key) {
                return serveBlocked(c, keyspace.db(dbIndex), q, key, indexOf(q.keys(), key), count);
            }

            @Override
            public void timeout() {
                c.reply().nullArray();
            }
        });
    }

    private static int indexOf(List<byte[]> keys, byte[] key) {
        for (int i = 0; i < keys.size(); i++) {
            if (Arrays.equals(keys.get(i), key)) {
                return i;
            }
        }
        return 0;
    }

    private Request parse(Client c, byte[][] a, boolean xreadgroup) {
        long timeout = -1;
        long count = 0;
        byte[] groupName = null;
        byte[] consumer = null;
        boolean noack = false;
        int streamsAt = 0;
        int streams = 0;
        for (int i = 1; i < a.length; i++) {
            int more = a.length - i - 1;
            if (Args.is(a[i], "BLOCK") && more > 0) {
                if (isScript(c)) {
                    throw new CommandError("ERR " + (xreadgroup ? "xreadgroup" : "xread")
                            + " command is not allowed with BLOCK option from scripts");
                }
                i++;
                timeout = Args.integer(a[i], "ERR timeout is not an integer or out of range");
                if (timeout < 0) {
                    throw new CommandError("ERR timeout is negative");
                }
            } else if (Args.is(a[i], "COUNT") && more > 0) {
                count = Math.max(0, Args.integer(a[++i]));
            } else if (Args.is(a[i], "STREAMS") && more > 0) {
                streamsAt = i + 1;
                streams = a.length - streamsAt;
                if (streams % 2 != 0) {
                    throw new CommandError("ERR Unbalanced " + (xreadgroup ? "XREADGROUP" : "XREAD")
                            + " list of streams: for each stream key an ID or '$' must be specified.");
                }
                streams /= 2;
                break;
            } else if (Args.is(a[i], "GROUP") && more >= 2) {
                if (!xreadgroup) {
                    throw new CommandError("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                }
                groupName = a[i + 1];
                consumer = a[i + 2];
                i += 2;
            } else if (Args.is(a[i], "NOACK")) {
                if (!xreadgroup) {
                    throw new CommandError("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                }
                noack = true;
            } else {
                throw Errors.syntax();
            }
        }
        if (streamsAt == 0) {
            throw Errors.syntax();
        }
        if (xreadgroup && groupName == null) {
            throw new CommandError("ERR Missing GROUP option for XREADGROUP");
        }
        return new Request(groupName != null, groupName, consumer, noack, count, timeout,
                Arrays.asList(a).subList(streamsAt, streamsAt + streams), new StreamId[streams]);
    }

    /** Scripts may not block: Redis refuses BLOCK there rather than treating it as a timeout. */
    private static boolean isScript(Client c) {
        return c.connection() instanceof DetachedConnection && c.id() == -1;
    }

    /** Replies from every stream that can serve now; false (nothing written) when none can. */
    private boolean serveNow(Client c, Database db, Request q, StreamGroup[] groups) {
        RespWriter r = c.reply();
        List<Integer> serve = new ArrayList<>();
        StreamId[] after = q.ids().clone();
        boolean[] history = new boolean[after.length];
        for (int i = 0; i < q.keys().size(); i++) {
            StreamValue s = typed(db, q.keys().get(i), StreamValue.class, false);
            if (s == null) {
                continue;
            }
            if (q.group()) {
                if (!after[i].equals(NEW_ENTRIES)) {
                    serve.add(i);
                    history[i] = true;
                } else if (s.length() > 0 && s.lastLiveId().compareTo(groups[i].lastId) > 0) {
                    serve.add(i);
                    after[i] = groups[i].lastId;
                }
            } else if (s.length() > 0 && s.lastLiveId().compareTo(after[i]) > 0) {
                serve.add(i);
            }
        }
        if (serve.isEmpty()) {
            return false;
        }
        if (r.resp3()) {
            r.map(serve.size());
        } else {
            r.array(serve.size());
        }
        for (int i : serve) {
            byte[] key = q.keys().get(i);
            StreamValue s = typed(db, key, StreamValue.class, false);
            if (!r.resp3()) {
                r.array(2);
            }
            r.bulk(key);
            StreamConsumer consumer = null;
            if (q.group()) {
                consumer = consumer(c, groups[i], q, key);
                dirty(1);
            }
            StreamId start = after[i].next();
            if (history[i]) {
                replyHistory(r, s, consumer, start, q.count());
            } else if (start == null) {
                r.emptyArray();
            } else {
                replyRange(c, s, key, start, q.count(), groups[i], consumer, q);
            }
        }
        return true;
    }

    /** The reading consumer, seen now; created (and, for NOACK reads, propagated) when new. */
    private StreamConsumer consumer(Client c, StreamGroup g, Request q, byte[] key) {
        long now = System.currentTimeMillis();
        StreamConsumer consumer = g.consumer(q.consumer());
        if (consumer != null) {
            consumer.seenTime = now;
            return consumer;
        }
        consumer = g.createConsumer(q.consumer(), now);
        dirty(1);
        notify(c, io.rookery.node.config.KeyspaceEventFlags.STREAM, "xgroup-createconsumer", key);
        if (q.noack()) {
            dispatcher.propagation().add(c.db, bytes("XGROUP"), bytes("CREATECONSUMER"), key, g.name(), q.consumer());
        }
        return consumer;
    }

    /** XREADGROUP with an id: the consumer's own pending entries from {@code start}, a deleted one as [id, nil]. */
    private static void replyHistory(RespWriter r, StreamValue s, StreamConsumer consumer, StreamId start, long count) {
        List<StreamPending> pending = new ArrayList<>();
        if (start != null) {
            for (StreamPending p : consumer.pel.tailMap(start, true).values()) {
                if (count != 0 && pending.size() >= count) {
                    break;
                }
                pending.add(p);
            }
        }
        r.array(pending.size());
        long now = System.currentTimeMillis();
        for (StreamPending p : pending) {
            byte[][] fv = s.get(p.id);
            if (fv == null) {
                r.array(2);
                r.bulk(p.id.bytes());
                r.nullArray();
            } else {
                StreamCommands.writeEntry(r, p.id, fv);
                p.deliveryTime = now;
                p.deliveryCount++;
            }
        }
    }

    /**
     * Entries from {@code start} on (at most {@code count}, 0 for all). With a group: advances its last
     * id and read counter, records pending entries unless NOACK, and propagates that (Redis's
     * streamReplyWithRange).
     */
    private void replyRange(Client c, StreamValue s, byte[] key, StreamId start, long count, StreamGroup g,
                            StreamConsumer consumer, Request q) {
        RespWriter r = c.reply();
        List<Map.Entry<StreamId, byte[][]>> served = StreamCommands.first(s.range(start, StreamId.MAX),
                count == 0 ? Long.MAX_VALUE : count);
        r.array(served.size());
        boolean propagateLastId = false;
        long now = System.currentTimeMillis();
        for (Map.Entry<StreamId, byte[][]> e : served) {
            StreamId id = e.getKey();
            if (g != null && id.compareTo(g.lastId) > 0) {
                if (g.entriesRead != StreamGroup.INVALID_ENTRIES_READ && !s.rangeHasTombstones(id, null)) {
                    g.entriesRead++;
                } else if (s.entriesAdded() > 0) {
                    g.entriesRead = s.estimateDistanceFromFirstEverEntry(id);
                }
                g.lastId = id;
                if (q.noack()) {
                    propagateLastId = true;
                }
            }
            StreamCommands.writeEntry(r, id, e.getValue());
            if (g != null && !q.noack()) {
                StreamPending p = g.pel.get(id);
                if (p == null) {
                    p = new StreamPending(id, consumer, now, 1);
                    g.pel.put(id, p);
                } else {
                    p.consumer.pel.remove(id);
                    p.consumer = consumer;
                    p.deliveryTime = now;
                    p.deliveryCount = 1;
                }
                consumer.pel.put(id, p);
                dispatcher.propagation().add(c.db, bytes("XCLAIM"), key, g.name(), consumer.name(), bytes("0"), id.bytes(),
                        bytes("TIME"), Numbers.toBytes(p.deliveryTime), bytes("RETRYCOUNT"), Numbers.toBytes(p.deliveryCount),
                        bytes("FORCE"), bytes("JUSTID"), bytes("LASTID"), g.lastId.bytes());
            }
        }
        if (propagateLastId) {
            dispatcher.propagation().add(c.db, bytes("XGROUP"), bytes("SETID"), key, g.name(), g.lastId.bytes(),
                    bytes("ENTRIESREAD"), Numbers.toBytes(g.entriesRead));
        }
        if (g != null) {
            s.groupsChanged();
        }
    }

    private void failBlocked(Client c, String error) {
        c.reply().error(error);
        dispatcher.failedWhileBlocked("xreadgroup", error);
    }

    /** A blocked read woken on {@code key}: replies and returns true when it can be served (or must fail). */
    private boolean serveBlocked(Client c, Database db, Request q, byte[] key, int index, long count) {
        Object v = db.peek(key);
        if (!(v instanceof StreamValue s)) {
            if (q.group()) {
                failBlocked(c, "UNBLOCKED the stream key no longer exists");
                return true;
            }
            return false;
        }
        StreamGroup g = null;
        StreamId after = q.ids()[index];
        if (q.group()) {
            g = s.group(q.groupName());
            if (g == null) {
                failBlocked(c, "NOGROUP the consumer group this client was blocked on no longer exists");
                return true;
            }
            after = g.lastId;
        }
        if (s.lastId().compareTo(after) <= 0) {
            return false;
        }
        RespWriter r = c.reply();
        if (r.resp3()) {
            r.map(1);
        } else {
            r.array(1);
            r.array(2);
        }
        r.bulk(key);
        StreamConsumer consumer = g == null ? null : consumer(c, g, q, key);
        replyRange(c, s, key, after.next(), count, g, consumer, q);
        return true;
    }
}
