package io.rookery.node.keyspace;

import io.rookery.node.config.NodeConfig;

/**
 * All databases of a node plus the keyspace-wide state: the command clock (one "now" per command, as
 * Redis caches mstime while a command runs), hit/miss/expiry counters and the access-word policy.
 * Owned by the node's single command thread.
 */
public final class Keyspace {
    private final NodeConfig config;
    private final Database[] dbs;
    private KeyspaceObserver observer = KeyspaceObserver.NONE;
    private long now = System.currentTimeMillis();
    private boolean expireKeys = true;
    private final MemoryCounter memory = new MemoryCounter();
    private SnapshotHook snapshot;
    private int snapshotParity;

    /**
     * Told before any change to an existing entry while a point-in-time snapshot runs, so the
     * snapshot can capture the entry's old contents first.
     */
    public interface SnapshotHook {
        void beforeChange(Database db, Dict.Entry entry);

        /** Before FLUSHDB/FLUSHALL/SWAPDB: the snapshot finishes its walk first. */
        void beforeBulkChange();
    }

    long hits;
    long misses;
    long expiredKeys;

    public Keyspace(NodeConfig config) {
        this.config = config;
        this.dbs = new Database[config.databases];
        for (int i = 0; i < dbs.length; i++) {
            dbs[i] = new Database(i, this);
        }
    }

    // ---------------------------------------------------------------- function libraries (scripting)

    private byte[] functionRecords = new byte[0];
    private FunctionStore functionStore;

    /** The function libraries as RDB records (opcode FUNCTION2 + code), written ahead of the databases of every RDB. */
    public byte[] functionRecords() {
        return functionRecords;
    }

    public void functionRecords(byte[] records) {
        this.functionRecords = records;
    }

    /** The function libraries a loaded RDB feeds; null when the node has no functions (such an RDB is then refused). */
    public FunctionStore functionStore() {
        return functionStore;
    }

    public void functionStore(FunctionStore store) {
        this.functionStore = store;
    }

    /** Empties every database and drops the function libraries: a whole dataset is about to replace them. */
    public void emptyForLoad() {
        flushAll();
        if (functionStore != null) {
            functionStore.clear();
        }
    }

    public int count() {
        return dbs.length;
    }

    public Database db(int index) {
        return dbs[index];
    }

    public void observer(KeyspaceObserver observer) {
        this.observer = observer;
    }

    KeyspaceObserver observer() {
        return observer;
    }

    /** The time commands see; refreshed by the dispatcher before each command. */
    public long now() {
        return now;
    }

    public void clock(long nowMillis) {
        this.now = nowMillis;
    }

    /** False on a replica: keys past their time are hidden but deleted only by the primary's DEL. */
    public boolean expireKeys() {
        return expireKeys;
    }

    public void expireKeys(boolean enabled) {
        this.expireKeys = enabled;
    }

    private long lazyfreedObjects;

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    public long expiredKeys() {
        return expiredKeys;
    }

    /** UNLINK freed {@code value}: counted in lazyfreed_objects when Redis would free it in the background. */
    public void unlinked(Object value) {
        if (LazyFreeEffort.of(value) > LazyFreeEffort.THRESHOLD) {
            lazyfreedObjects++;
        }
    }

    public long lazyfreedObjects() {
        return lazyfreedObjects;
    }

    public void resetStats() {
        lazyfreedObjects = 0;
        hits = 0;
        misses = 0;
        expiredKeys = 0;
    }

    public long keyCount() {
        long n = 0;
        for (Database db : dbs) {
            n += db.size();
        }
        return n;
    }

    /** Bytes held by keys, values and expiries across all databases. */
    public long memory() {
        return memory.bytes();
    }

    public MemoryCounter memoryCounter() {
        return memory;
    }

    public void swap(int a, int b) {
        beforeBulkChange();
        dbs[a].swapWith(dbs[b]);
    }

    public long flushAll() {
        long n = 0;
        for (Database db : dbs) {
            n += db.empty();
        }
        observer.flushed(-1);
        return n;
    }

    /** Shrinks sparse tables; run from the cron like Redis's tryResizeHashTables. */
    public void shrinkSparseTables() {
        for (Database db : dbs) {
            db.shrinkIfSparse();
        }
    }

    void initMeta(Dict.Entry e) {
        // a key created while a snapshot runs is not part of it: it gets the current parity
        e.meta = (config.maxmemoryPolicy.lfu() ? AccessMeta.lfuNew(now) : AccessMeta.lruClock(now)) | snapshotParity;
    }

    /** Starts a snapshot: flips the parity so every existing entry counts as not yet captured. */
    public int beginSnapshot(SnapshotHook hook) {
        snapshotParity ^= AccessMeta.SNAPSHOT_MARK;
        snapshot = hook;
        return snapshotParity;
    }

    public void endSnapshot() {
        snapshot = null;
    }

    public boolean snapshotRunning() {
        return snapshot != null;
    }

    void beforeChange(Database db, Dict.Entry e) {
        if (snapshot != null && (e.meta & AccessMeta.SNAPSHOT_MARK) != snapshotParity) {
            snapshot.beforeChange(db, e);
        }
    }

    void beforeBulkChange() {
        if (snapshot != null) {
            snapshot.beforeBulkChange();
        }
    }

    void touch(Dict.Entry e) {
        int flags = e.meta & ~AccessMeta.ACCESS_MASK;
        if (config.maxmemoryPolicy.lfu()) {
            e.meta = flags | AccessMeta.lfuTouch(e.meta & AccessMeta.ACCESS_MASK, now, config.lfuDecayTime, config.lfuLogFactor);
        } else {
            e.meta = flags | AccessMeta.lruClock(now);
        }
    }
}
