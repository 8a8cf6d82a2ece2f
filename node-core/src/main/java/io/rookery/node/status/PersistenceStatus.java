package io.rookery.node.status;

/**
 * Snapshot and AOF state at one instant (INFO persistence's facts).
 *
 * @param lastSaveSeconds       unix seconds of the last successful save
 * @param bgsaveInProgress      a background save is running
 * @param lastBgsaveOk          the last background save succeeded
 * @param lastError             the last save error, or empty
 * @param changesSinceLastSave  writes not yet in a snapshot
 * @param saveRules             the {@code save} parameter
 * @param file                  the RDB file path
 * @param aofOn                 whether the AOF is on
 * @param appendfsync           the AOF fsync policy
 * @param aofSize               bytes of the AOF files (0 when off)
 * @param aofRewriteInProgress  an AOF rewrite is running
 * @param aofFsyncLagMillis     how long written AOF data has waited for fsync
 * @param refusesWrites         writes are refused with MISCONF
 * @param lastBgsaveSeconds     duration of the last background save
 * @param lastRewriteSeconds    duration of the last AOF rewrite
 */
public record PersistenceStatus(long lastSaveSeconds, boolean bgsaveInProgress, boolean lastBgsaveOk, String lastError,
                                long changesSinceLastSave, String saveRules, String file, boolean aofOn,
                                String appendfsync, long aofSize, boolean aofRewriteInProgress, long aofFsyncLagMillis,
                                boolean refusesWrites, long lastBgsaveSeconds, long lastRewriteSeconds) {
}
