package io.rookery.node.command;

import io.rookery.node.client.Client;
import io.rookery.node.client.ClientRegistry;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.info.InfoReport;
import io.rookery.node.info.ProcessStats;
import io.rookery.node.keyspace.Database;
import io.rookery.protocol.RespWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * MEMORY STATS, DOCTOR, MALLOC-STATS and PURGE (Redis's memoryCommand; USAGE and HELP are in
 * {@link ObjectCommands}). STATS answers with Redis's field names and order: the node's own accounting
 * (INFO's used_memory, its peak and start-up share, client buffers, per-database table overheads)
 * where Redis reports its allocations, and the JVM's truths where Redis reports jemalloc's: the
 * allocator's "allocated" is the heap in use, "active" the heap committed, "resident" the process's RSS.
 * MALLOC-STATS answers as Redis built without jemalloc does; PURGE asks the JVM for a collection.
 */
final class MemoryCommands extends CommandGroup {
    /** What a dictEntry and a bucket pointer cost in Redis, for the per-database table overheads. */
    private static final long ENTRY_BYTES = 24;
    private static final long BUCKET_BYTES = 8;

    private final ClientRegistry clients;
    private final InfoReport info;

    MemoryCommands(CommandBasics basics, ClientRegistry clients, InfoReport info) {
        super(basics);
        this.clients = clients;
        this.info = info;
    }

    void register(CommandRegistry r) {
        r.register("memory|stats", (c, a) -> stats(c))
                .register("memory|doctor", (c, a) -> c.reply().verbatim("txt", MemoryDoctor.report(figures())))
                .register("memory|malloc-stats", (c, a) -> c.reply().bulk("Stats not supported for the current allocator"))
                .register("memory|purge", (c, a) -> {
                    System.gc(); // the JVM's way to hand freed pages back, as jemalloc's purge does
                    c.reply().ok();
                });
    }

    /** INFO memory's fields by name. */
    private Map<String, String> memoryInfo() {
        Map<String, String> out = new HashMap<>();
        for (String line : info.render("memory").split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                out.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return out;
    }

    private static long number(Map<String, String> m, String name) {
        try {
            return Long.parseLong(m.getOrDefault(name, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private MemoryDoctor.Figures figures() {
        Map<String, String> m = memoryInfo();
        long[] buffers = clientBuffers();
        return new MemoryDoctor.Figures(number(m, "used_memory"), number(m, "used_memory_peak"), buffers[0], buffers[1],
                buffers[2], buffers[3], number(m, "number_of_cached_scripts"));
    }

    /** Output and query buffers of normal clients, their count, then the same for replicas. */
    private long[] clientBuffers() {
        long[] out = new long[4];
        for (Client c : clients.all()) {
            long bytes = c.connection().pendingOutputBytes() + c.queryBuffer.capacity();
            int i = c.clientClass().equals("replica") ? 2 : 0;
            out[i] += bytes;
            out[i + 1]++;
        }
        return out;
    }

    private void stats(Client c) {
        Map<String, String> m = memoryInfo();
        long used = number(m, "used_memory");
        long peak = Math.max(used, number(m, "used_memory_peak"));
        long startup = number(m, "used_memory_startup");
        long backlog = number(m, "mem_replication_backlog");
        long[] buffers = clientBuffers();
        long lua = number(m, "used_memory_lua");
        long functions = number(m, "used_memory_vm_functions");
        int dbs = 0;
        long tables = 0;
        long keys = 0;
        for (int i = 0; i < keyspace.count(); i++) {
            Database db = keyspace.db(i);
            if (db.size() > 0) {
                dbs++;
                tables += table(db.size()) + table(db.expiresSize());
                keys += db.size();
            }
        }
        long overhead = startup + backlog + buffers[0] + buffers[2] + lua + functions + tables;
        long net = used - startup;
        long dataset = Math.max(0, used - overhead);
        long heapUsed = ProcessStats.heapUsed();
        long heapCommitted = Math.max(heapUsed, Runtime.getRuntime().totalMemory());
        long rss = ProcessStats.rss();

        RespWriter r = c.reply();
        r.map(27 + dbs);
        field(r, "peak.allocated", peak);
        field(r, "total.allocated", used);
        field(r, "startup.allocated", startup);
        field(r, "replication.backlog", backlog);
        field(r, "clients.slaves", buffers[2]);
        field(r, "clients.normal", buffers[0]);
        field(r, "cluster.links", 0);
        field(r, "aof.buffer", 0);
        field(r, "lua.caches", lua);
        field(r, "functions.caches", functions);
        for (int i = 0; i < keyspace.count(); i++) {
            Database db = keyspace.db(i);
            if (db.size() > 0) {
                r.bulk("db." + i);
                r.map(3);
                field(r, "overhead.hashtable.main", table(db.size()));
                field(r, "overhead.hashtable.expires", table(db.expiresSize()));
                field(r, "overhead.hashtable.slot-to-keys", 0);
            }
        }
        field(r, "overhead.total", overhead);
        field(r, "keys.count", keys);
        field(r, "keys.bytes-per-key", keys == 0 ? 0 : net / keys);
        field(r, "dataset.bytes", dataset);
        r.bulk("dataset.percentage");
        r.dbl(net <= 0 ? 0 : dataset * 100.0 / net);
        r.bulk("peak.percentage");
        r.dbl(peak == 0 ? 0 : used * 100.0 / peak);
        field(r, "allocator.allocated", heapUsed);
        field(r, "allocator.active", heapCommitted);
        field(r, "allocator.resident", rss);
        r.bulk("allocator-fragmentation.ratio");
        r.dbl(ratio(heapCommitted, heapUsed));
        field(r, "allocator-fragmentation.bytes", heapCommitted - heapUsed);
        r.bulk("allocator-rss.ratio");
        r.dbl(ratio(rss, heapCommitted));
        field(r, "allocator-rss.bytes", rss - heapCommitted);
        r.bulk("rss-overhead.ratio");
        r.dbl(1.0);
        field(r, "rss-overhead.bytes", 0);
        r.bulk("fragmentation");
        r.dbl(ratio(rss, used));
        field(r, "fragmentation.bytes", rss - used);
    }

    /** A Redis dict's size for {@code n} entries: a power-of-two bucket array and one entry each. */
    private static long table(long n) {
        if (n == 0) {
            return 0;
        }
        long buckets = Long.highestOneBit(Math.max(4, n - 1)) << 1;
        return buckets * BUCKET_BYTES + n * ENTRY_BYTES;
    }

    private static double ratio(long a, long b) {
        return b <= 0 ? 0 : (double) a / b;
    }

    private static void field(RespWriter r, String name, long value) {
        r.bulk(name);
        r.integer(value);
    }
}
