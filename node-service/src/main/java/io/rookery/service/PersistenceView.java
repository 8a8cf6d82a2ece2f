package io.rookery.service;

import io.rookery.node.status.PersistenceStatus;

/**
 * GET /api/v1/persistence: snapshot state and policy.
 *
 * @param lastSaveTime          unix seconds of the last successful save
 * @param bgsaveInProgress      a background save is running
 * @param lastBgsaveStatus      "ok" or "err"
 * @param lastError             the last save error, or empty
 * @param changesSinceLastSave  writes not yet in a snapshot
 * @param saveRules             the {@code save} parameter ("seconds changes ...", empty: off)
 * @param file                  the RDB file path
 * @param appendonly            whether the AOF is on
 * @param appendfsync           the AOF fsync policy
 * @param aofSize               bytes of the AOF files (0 when off)
 * @param aofRewriteInProgress  an AOF rewrite is running
 * @param aofFsyncLagMillis     how long written AOF data has waited for fsync (everysec)
 */
public record PersistenceView(long lastSaveTime, boolean bgsaveInProgress, String lastBgsaveStatus, String lastError,
                              long changesSinceLastSave, String saveRules, String file, boolean appendonly,
                              String appendfsync, long aofSize, boolean aofRewriteInProgress, long aofFsyncLagMillis) {
    /** The view of a status the command thread published. */
    static PersistenceView of(PersistenceStatus p) {
        return new PersistenceView(p.lastSaveSeconds(), p.bgsaveInProgress(), p.lastBgsaveOk() ? "ok" : "err",
                p.lastError(), p.changesSinceLastSave(), p.saveRules(), p.file(), p.aofOn(), p.appendfsync(), p.aofSize(),
                p.aofRewriteInProgress(), p.aofFsyncLagMillis());
    }
}
