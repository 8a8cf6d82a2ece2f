package io.rookery.node.command;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.types.StreamConsumer;
import io.rookery.node.types.StreamGroup;
import io.rookery.node.types.StreamId;
import io.rookery.node.types.StreamPending;
import io.rookery.node.types.StreamValue;
import io.rookery.protocol.RespWriter;
import java.util.Map;

/** XINFO STREAM [FULL [COUNT n]], XINFO GROUPS, XINFO CONSUMERS, in Redis 7.0's reply shapes. */
final class StreamInfoCommands extends CommandGroup {

    StreamInfoCommands(CommandBasics basics) {
        super(basics);
    }

    void register(CommandRegistry r) {
        r.register("xinfo|stream", this::stream)
                .register("xinfo|groups", this::groups)
                .register("xinfo|consumers", this::consumers)
                .register("xinfo|help", (c, a) -> Help.reply(c.reply(), "XINFO",
                        "CONSUMERS <key> <groupname>",
                        "    Show consumers of <groupname>.",
                        "GROUPS <key>",
                        "    Show the stream consumer groups.",
                        "STREAM <key> [FULL [COUNT <count>]",
                        "    Show information about the stream.",
                        "HELP", "    Prints this help."));
    }

    private StreamValue stream(Client c, byte[] key) {
        StreamValue s = typed(db(c), key, StreamValue.class, false);
        if (s == null) {
            throw new CommandError(Errors.NO_SUCH_KEY);
        }
        return s;
    }

    private static CommandError syntax(byte[][] a) {
        return new CommandError("ERR unknown subcommand or wrong number of arguments for '" + Args.text(a[1])
                + "'. Try XINFO HELP.");
    }

    private void stream(Client c, byte[][] a) {
        StreamValue s = stream(c, a[2]);
        boolean full = a.length > 3;
        long count = 10;
        if (full) {
            if ((a.length != 4 && a.length != 6) || !Args.is(a[3], "FULL")) {
                throw syntax(a);
            }
            if (a.length == 6) {
                if (!Args.is(a[4], "COUNT")) {
                    throw syntax(a);
                }
                count = Args.integer(a[5]);
                if (count < 0) {
                    count = 10;
                }
            }
        }
        RespWriter r = c.reply();
        r.map(full ? 9 : 10);
        r.bulk("length");
        r.integer(s.length());
        r.bulk("radix-tree-keys");
        r.integer(s.nodeCount());
        r.bulk("radix-tree-nodes");
        r.integer(s.nodeCount() == 0 ? 1 : s.nodeCount() + 1);
        r.bulk("last-generated-id");
        r.bulk(s.lastId().bytes());
        r.bulk("max-deleted-entry-id");
        r.bulk(s.maxDeletedId().bytes());
        r.bulk("entries-added");
        r.integer(s.entriesAdded());
        r.bulk("recorded-first-entry-id");
        r.bulk(s.firstId().bytes());
        if (!full) {
            r.bulk("groups");
            r.integer(s.groups().size());
            r.bulk("first-entry");
            entryOrNull(r, s.firstEntry());
            r.bulk("last-entry");
            entryOrNull(r, s.lastEntry());
            return;
        }
        long limit = count == 0 ? Long.MAX_VALUE : count;
        r.bulk("entries");
        StreamCommands.writeEntries(r, s.range(StreamId.MIN, StreamId.MAX), limit);
        r.bulk("groups");
        r.array(s.groups().size());
        for (StreamGroup g : s.groups()) {
            r.map(7);
            r.bulk("name");
            r.bulk(g.name());
            r.bulk("last-delivered-id");
            r.bulk(g.lastId.bytes());
            r.bulk("entries-read");
            entriesRead(r, g);
            r.bulk("lag");
            lag(r, s, g);
            r.bulk("pel-count");
            r.integer(g.pel.size());
            r.bulk("pending");
            r.array(Math.min(limit, g.pel.size()));
            long n = 0;
            for (StreamPending p : g.pel.values()) {
                if (n++ == limit) {
                    break;
                }
                r.array(4);
                r.bulk(p.id.bytes());
                r.bulk(p.consumer.name());
                r.integer(p.deliveryTime);
                r.integer(p.deliveryCount);
            }
            r.bulk("consumers");
            r.array(g.consumers.size());
            for (StreamConsumer consumer : g.consumers.values()) {
                r.map(4);
                r.bulk("name");
                r.bulk(consumer.name());
                r.bulk("seen-time");
                r.integer(consumer.seenTime);
                r.bulk("pel-count");
                r.integer(consumer.pel.size());
                r.bulk("pending");
                r.array(Math.min(limit, consumer.pel.size()));
                long m = 0;
                for (StreamPending p : consumer.pel.values()) {
                    if (m++ == limit) {
                        break;
                    }
                    r.array(3);
                    r.bulk(p.id.bytes());
                    r.integer(p.deliveryTime);
                    r.integer(p.deliveryCount);
                }
            }
        }
    }

    private static void entryOrNull(RespWriter r, Map.Entry<StreamId, byte[][]> e) {
        if (e == null) {
            r.nullBulk();
        } else {
            StreamCommands.writeEntry(r, e.getKey(), e.getValue());
        }
    }

    private static void entriesRead(RespWriter r, StreamGroup g) {
        if (g.entriesRead != StreamGroup.INVALID_ENTRIES_READ) {
            r.integer(g.entriesRead);
        } else {
            r.nullBulk();
        }
    }

    private static void lag(RespWriter r, StreamValue s, StreamGroup g) {
        Long lag = s.lag(g);
        if (lag == null) {
            r.nullBulk();
        } else {
            r.integer(lag);
        }
    }

    private void groups(Client c, byte[][] a) {
        StreamValue s = stream(c, a[2]);
        RespWriter r = c.reply();
        r.array(s.groups().size());
        for (StreamGroup g : s.groups()) {
            r.map(6);
            r.bulk("name");
            r.bulk(g.name());
            r.bulk("consumers");
            r.integer(g.consumers.size());
            r.bulk("pending");
            r.integer(g.pel.size());
            r.bulk("last-delivered-id");
            r.bulk(g.lastId.bytes());
            r.bulk("entries-read");
            entriesRead(r, g);
            r.bulk("lag");
            lag(r, s, g);
        }
    }

    private void consumers(Client c, byte[][] a) {
        StreamValue s = stream(c, a[2]);
        StreamGroup g = s.group(a[3]);
        if (g == null) {
            throw new CommandError("NOGROUP No such consumer group '" + Args.text(a[3]) + "' for key name '"
                    + Args.text(a[2]) + "'");
        }
        RespWriter r = c.reply();
        long now = System.currentTimeMillis();
        r.array(g.consumers.size());
        for (StreamConsumer consumer : g.consumers.values()) {
            r.map(3);
            r.bulk("name");
            r.bulk(consumer.name());
            r.bulk("pending");
            r.integer(consumer.pel.size());
            r.bulk("idle");
            r.integer(Math.max(0, now - consumer.seenTime));
        }
    }
}
