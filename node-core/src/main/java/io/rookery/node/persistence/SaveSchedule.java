package io.rookery.node.persistence;

import io.rookery.node.config.ConfigException;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.config.SaveRules;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the cron does for persistence: flushes the AOF (everysec fsync is the AOF's own), starts an AOF
 * rewrite when the file grew by {@code auto-aof-rewrite-percentage} over
 * {@code auto-aof-rewrite-min-size}, else a BGSAVE when a {@code save} rule is due (a failed one is
 * retried after 5 s).
 */
public final class SaveSchedule {
    private static final Logger LOG = LoggerFactory.getLogger(SaveSchedule.class);

    private final NodeConfig config;
    private final SnapshotWriter snapshots;
    private final RdbSaves rdb;
    private final AofPersistence aof;
    private final LongSupplier dirty;

    public SaveSchedule(NodeConfig config, SnapshotWriter snapshots, RdbSaves rdb, AofPersistence aof, LongSupplier dirty) {
        this.config = config;
        this.snapshots = snapshots;
        this.rdb = rdb;
        this.aof = aof;
        this.dirty = dirty;
    }

    public void cron(long nowMillis) {
        aof.flush();
        if (!snapshots.running() && aof.on() && config.autoAofRewritePercentage > 0) {
            long size = aof.totalSize();
            long base = Math.max(1, aof.baseSize());
            if (size > config.autoAofRewriteMinSize && (size - base) * 100 / base >= config.autoAofRewritePercentage) {
                LOG.info("Starting automatic rewriting of AOF on {}% growth", (size - base) * 100 / base);
                aof.rewrite();
                return;
            }
        }
        if (snapshots.running() || config.save.isBlank()) {
            return;
        }
        SaveRules rules;
        try {
            rules = SaveRules.parse(config.save);
        } catch (ConfigException e) {
            return;
        }
        long changes = dirty.getAsLong();
        long since = nowMillis / 1000 - rdb.lastSaveSeconds();
        for (SaveRules.Rule r : rules.rules()) {
            if (changes >= r.changes() && since >= r.seconds()
                    && (rdb.lastBgsaveOk() || nowMillis - rdb.lastBgsaveTry() > 5000)) {
                LOG.info("{} changes in {} seconds. Saving...", r.changes(), r.seconds());
                rdb.bgsave();
                return;
            }
        }
    }
}
