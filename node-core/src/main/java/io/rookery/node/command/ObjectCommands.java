package io.rookery.node.command;

import io.rookery.node.client.Client;
import io.rookery.node.debug.DebugSwitches;
import io.rookery.node.config.NodeConfig.EvictionPolicy;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.keyspace.AccessMeta;
import io.rookery.node.keyspace.Database;
import io.rookery.node.keyspace.Dict;
import io.rookery.node.keyspace.MemoryEstimate;
import io.rookery.node.keyspace.StringEncoding;
import io.rookery.node.keyspace.TypedValue;
import io.rookery.node.rdb.DumpPayload;
import io.rookery.node.types.TypeContext;
import io.rookery.protocol.Numbers;

/** Introspection and serialization of single values: OBJECT, MEMORY USAGE, DUMP (RESTORE is {@link RestoreCommand}). */
final class ObjectCommands extends CommandGroup {

    private final TypeContext types;
    private final DebugSwitches debugSwitches;

    ObjectCommands(CommandBasics basics, TypeContext types, DebugSwitches debugSwitches) {
        super(basics);
        this.types = types;
        this.debugSwitches = debugSwitches;
    }

    void register(CommandRegistry r) {
        r.register("object|encoding", this::encoding)
                .register("object|freq", this::freq)
                .register("object|idletime", this::idletime)
                .register("object|refcount", this::refcount)
                .register("object|help", (c, a) -> Help.reply(c.reply(), "OBJECT",
                        "ENCODING <key>", "    Return the internal representation used to store the value at <key>.",
                        "FREQ <key>", "    Return the logarithmic access frequency counter of <key> (LFU policies).",
                        "IDLETIME <key>", "    Return the seconds since <key> was last accessed (non-LFU policies).",
                        "REFCOUNT <key>", "    Return the number of references of the value at <key>.",
                        "HELP", "    Prints this help."))
                .register("memory|usage", this::memoryUsage)
                .register("memory|help", (c, a) -> Help.reply(c.reply(), "MEMORY",
                        "DOCTOR", "    Return memory problems reports.",
                        "MALLOC-STATS", "    Return internal statistics report from the memory allocator.",
                        "PURGE", "    Attempt to purge dirty pages for reclamation by the allocator.",
                        "STATS", "    Return information about the memory usage of the server.",
                        "USAGE <key> [SAMPLES <count>]",
                        "    Return memory in bytes used by <key> and its value. Nested values are",
                        "    sampled up to <count> times (default: 5, 0 means sample all).",
                        "HELP", "    Print this help."))
                .register("dump", this::dump);
    }

    /** The entry for OBJECT: no hit/miss, no touch. */
    private Dict.Entry entry(Client c, byte[] key) {
        return db(c).entry(key);
    }

    private void encoding(Client c, byte[][] a) {
        Dict.Entry e = entry(c, a[2]);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        Object v = e.value();
        c.reply().bulk(v instanceof byte[] b ? StringEncoding.of(b, e.meta()) : ((TypedValue) v).encoding());
    }

    private void freq(Client c, byte[][] a) {
        Dict.Entry e = entry(c, a[2]);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        if (!config.maxmemoryPolicy.lfu()) {
            throw new CommandError("ERR An LFU maxmemory policy is not selected, access frequency not tracked. "
                    + "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
        }
        c.reply().integer(AccessMeta.lfuDecayed(e.meta(), keyspace.now(), config.lfuDecayTime));
    }

    private void idletime(Client c, byte[][] a) {
        Dict.Entry e = entry(c, a[2]);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        if (config.maxmemoryPolicy.lfu()) {
            throw new CommandError("ERR An LFU maxmemory policy is selected, idle time not tracked. "
                    + "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
        }
        c.reply().integer(AccessMeta.idleMillis(e.meta(), keyspace.now()) / 1000);
    }

    private void refcount(Client c, byte[][] a) {
        Dict.Entry e = entry(c, a[2]);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().integer(isSharedInteger(e.value()) ? Integer.MAX_VALUE : 1);
    }

    /** Redis shares the integers 0..9999 unless maxmemory runs with an LRU/LFU policy. */
    private boolean isSharedInteger(Object v) {
        if (!(v instanceof byte[] b) || b.length > 4 || !Numbers.isLong(b)) {
            return false;
        }
        long n = Numbers.parseLong(b);
        EvictionPolicy p = config.maxmemoryPolicy;
        boolean lruOrLfu = p != EvictionPolicy.NOEVICTION && p != EvictionPolicy.ALLKEYS_RANDOM
                && p != EvictionPolicy.VOLATILE_RANDOM && p != EvictionPolicy.VOLATILE_TTL;
        return n >= 0 && n < 10000 && (config.maxmemory == 0 || !lruOrLfu);
    }

    // MEMORY USAGE key [SAMPLES count]
    private void memoryUsage(Client c, byte[][] a) {
        if (a.length == 5) {
            if (!Args.is(a[3], "SAMPLES")) {
                throw Errors.syntax();
            }
            Args.integer(a[4]);
        } else if (a.length != 3) {
            throw Errors.syntax();
        }
        Database db = db(c);
        Dict.Entry e = db.entry(a[2]);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        long bytes = MemoryEstimate.entry(e.key(), e.value());
        if (db.expireAt(a[2]) >= 0) {
            bytes += MemoryEstimate.EXPIRE;
        }
        c.reply().integer(bytes);
    }

    private void dump(Client c, byte[][] a) {
        Object v = db(c).get(a[1]);
        c.reply().bulk(v == null ? null : DumpPayload.create(v, config.rdbcompression));
    }
}
