package io.rookery.node.command;

import static io.rookery.node.config.KeyspaceEventFlags.STRING;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.hll.HyperLogLog;
import io.rookery.node.hll.HyperLogLogSelfTest;
import io.rookery.node.keyspace.Database;
import io.rookery.protocol.RespWriter;
import java.nio.charset.StandardCharsets;

/**
 * HyperLogLog commands (Redis's hyperloglog.c). A HLL is a string value in Redis's byte layout
 * ({@link HyperLogLog}); each command reads the stored string, works on a copy and stores the copy back
 * (keeping the expiry) when it changed the registers, the encoding or the cached cardinality.
 */
final class HyperLogLogCommands extends CommandGroup {
    static final String CORRUPTED = "INVALIDOBJ Corrupted HLL object detected";
    static final String NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";

    HyperLogLogCommands(CommandBasics basics) {
        super(basics);
    }

    void register(CommandRegistry r) {
        r.register("pfadd", this::pfadd)
                .register("pfcount", this::pfcount)
                .register("pfmerge", this::pfmerge)
                .register("pfdebug", this::pfdebug)
                .register("pfselftest", (c, a) -> {
                    String failure = HyperLogLogSelfTest.run(config.hllSparseMaxBytes);
                    if (failure != null) {
                        throw new CommandError(failure);
                    }
                    c.reply().ok();
                });
    }

    /** The stored string at {@code key} as a HLL; null when missing; WRONGTYPE for other types and strings. */
    private static HyperLogLog hll(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof byte[] bytes)) {
            throw Errors.wrongType();
        }
        if (!HyperLogLog.isValid(bytes)) {
            throw new CommandError(NOT_HLL);
        }
        return HyperLogLog.of(bytes);
    }

    // PFADD key [element ...]
    private void pfadd(Client c, byte[][] a) {
        Database db = db(c);
        HyperLogLog h = hll(db.getForWrite(a[1]));
        int updated = 0;
        if (h == null) {
            h = HyperLogLog.empty();
            updated++;
        }
        for (int i = 2; i < a.length; i++) {
            int result = h.add(a[i], config.hllSparseMaxBytes);
            if (result < 0) {
                if (updated > 0) {
                    db.setRaw(a[1], h.toBytes()); // Redis changed the value in place before it found the damage
                }
                throw new CommandError(CORRUPTED);
            }
            updated += result;
        }
        if (updated > 0) {
            h.invalidateCache();
            db.setRaw(a[1], h.toBytes());
            notify(c, STRING, "pfadd", a[1]);
            dirty(updated);
        }
        c.reply().integer(updated > 0 ? 1 : 0);
    }

    // PFCOUNT key [key ...]
    private void pfcount(Client c, byte[][] a) {
        Database db = db(c);
        if (a.length > 2) {
            byte[] max = new byte[HyperLogLog.REGISTERS];
            for (int i = 1; i < a.length; i++) {
                HyperLogLog h = hll(db.get(a[i]));
                if (h != null && !h.mergeInto(max)) {
                    throw new CommandError(CORRUPTED);
                }
            }
            c.reply().integer(HyperLogLog.countRaw(max));
            return;
        }
        HyperLogLog h = hll(db.get(a[1]));
        if (h == null) {
            c.reply().integer(0);
            return;
        }
        long card = h.cachedCardinality();
        if (card < 0) {
            card = h.count();
            if (card < 0) {
                throw new CommandError(CORRUPTED);
            }
            h.cacheCardinality(card);
            db.setRaw(a[1], h.toBytes());
            dirty(1);
        }
        c.reply().integer(card);
    }

    // PFMERGE destkey [sourcekey ...]
    private void pfmerge(Client c, byte[][] a) {
        Database db = db(c);
        byte[] max = new byte[HyperLogLog.REGISTERS];
        boolean dense = false;
        for (int i = 1; i < a.length; i++) {
            HyperLogLog h = hll(db.get(a[i]));
            if (h == null) {
                continue;
            }
            dense |= h.encoding() == HyperLogLog.DENSE;
            if (!h.mergeInto(max)) {
                throw new CommandError(CORRUPTED);
            }
        }
        HyperLogLog target = hll(db.getForWrite(a[1]));
        boolean created = target == null;
        if (created) {
            target = HyperLogLog.empty();
        }
        if (dense && !target.toDense()) {
            if (created) {
                db.setRaw(a[1], target.toBytes());
            }
            throw new CommandError(CORRUPTED);
        }
        for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
            if (max[j] != 0) {
                target.raise(j, max[j], config.hllSparseMaxBytes);
            }
        }
        target.invalidateCache();
        db.setRaw(a[1], target.toBytes());
        notify(c, STRING, "pfadd", a[1]);
        dirty(1);
        c.reply().ok();
    }

    // PFDEBUG GETREG|DECODE|ENCODING|TODENSE key
    private void pfdebug(Client c, byte[][] a) {
        String sub = new String(a[1], StandardCharsets.UTF_8);
        Database db = db(c);
        Object value = db.getForWrite(a[2]);
        if (value == null) {
            throw new CommandError("ERR The specified key does not exist");
        }
        HyperLogLog h = hll(value);
        RespWriter w = c.reply();
        switch (sub.toLowerCase(java.util.Locale.ROOT)) {
            case "getreg" -> {
                toDense(c, db, a[2], h);
                w.array(HyperLogLog.REGISTERS);
                for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
                    w.integer(h.register(j));
                }
            }
            case "decode" -> {
                if (h.encoding() != HyperLogLog.SPARSE) {
                    throw new CommandError("ERR HLL encoding is not sparse");
                }
                w.bulk(h.decodeSparse());
            }
            case "encoding" -> w.simple(h.encoding() == HyperLogLog.DENSE ? "dense" : "sparse");
            case "todense" -> w.integer(toDense(c, db, a[2], h) ? 1 : 0);
            default -> throw new CommandError("ERR Unknown PFDEBUG subcommand '" + sub + "'");
        }
    }

    /** Converts a sparse HLL to dense and stores it; true when it converted. */
    private boolean toDense(Client c, Database db, byte[] key, HyperLogLog h) {
        if (h.encoding() != HyperLogLog.SPARSE) {
            return false;
        }
        if (!h.toDense()) {
            throw new CommandError(CORRUPTED);
        }
        db.setRaw(key, h.toBytes());
        dirty(1);
        return true;
    }
}
