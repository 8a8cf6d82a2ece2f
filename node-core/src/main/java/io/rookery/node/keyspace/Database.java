package io.rookery.node.keyspace;

import java.util.function.Consumer;

/**
 * One of the numbered databases: the key table and, beside it, the expiry table (key → absolute unix
 * time in ms), as Redis keeps {@code db->dict} and {@code db->expires}.
 *
 * <p>Lookups expire lazily: a key whose time has passed is deleted when touched (and reported to the
 * {@link KeyspaceObserver}), so callers never see it. Read lookups count keyspace hits and misses and
 * refresh the key's access word for LRU/LFU.
 */
public final class Database {
    private final int id;
    private final Keyspace space;
    private Dict keys = new Dict();
    private Dict expires = new Dict();
    /** The keys by cluster slot; null unless cluster mode asked for it. */
    private SlotKeyIndex slotIndex;

    Database(int id, Keyspace space) {
        this.id = id;
        this.space = space;
    }

    public int id() {
        return id;
    }

    public int size() {
        return keys.size();
    }

    /** Starts keeping the keys by cluster slot (cluster mode), indexing the keys already here. */
    public SlotKeyIndex indexBySlot() {
        if (slotIndex == null) {
            slotIndex = new SlotKeyIndex();
            keys.forEach(e -> slotIndex.add(e.key));
        }
        return slotIndex;
    }

    /** The slot index, or null when cluster mode is off. */
    public SlotKeyIndex slotIndex() {
        return slotIndex;
    }

    public int expiresSize() {
        return expires.size();
    }

    // ---------------------------------------------------------------- lookups

    /** The value for a read command, or null; counts a hit or miss and touches the access word. */
    public Object get(byte[] key) {
        Dict.Entry e = live(key);
        if (e == null) {
            space.misses++;
            return null;
        }
        space.hits++;
        space.touch(e);
        return e.value;
    }

    /** The value for a write command, or null; touches the access word, counts nothing. */
    public Object getForWrite(byte[] key) {
        Dict.Entry e = live(key);
        if (e == null) {
            return null;
        }
        space.beforeChange(this, e);
        space.touch(e);
        return e.value;
    }

    /** The value without side effects other than lazy expiry (no hit/miss, no touch), as OBJECT/TYPE. */
    public Object peek(byte[] key) {
        Dict.Entry e = live(key);
        return e == null ? null : e.value;
    }

    public Dict.Entry entry(byte[] key) {
        return live(key);
    }

    /** True when {@code key} is in the table, expired or not; expires nothing (WATCH's view of a flush). */
    public boolean holds(byte[] key) {
        return keys.get(key) != null;
    }

    /**
     * The entry as stored, even when its time to live has passed (no lazy expiry): DEBUG OBJECT
     * looks in the table directly, as Redis's dictFind, so a script can still find the key expired.
     */
    public Dict.Entry storedEntry(byte[] key) {
        return keys.get(key);
    }

    public boolean exists(byte[] key) {
        return live(key) != null;
    }

    private Dict.Entry live(byte[] key) {
        Dict.Entry e = keys.get(key);
        if (e != null && expires.size() > 0 && expireIfNeeded(key)) {
            return null;
        }
        return e;
    }

    /** Deletes {@code key} when its time has passed; true when it was expired (or is logically gone). */
    private boolean expireIfNeeded(byte[] key) {
        Dict.Entry x = expires.get(key);
        if (x == null) {
            return false;
        }
        long when = (Long) x.value;
        if (when > space.now()) {
            return false;
        }
        if (!space.expireKeys()) {
            return true; // a replica hides logically expired keys but waits for the primary's DEL
        }
        delete(key);
        space.expiredKeys++;
        space.observer().keyExpired(this, key);
        return true;
    }

    // ---------------------------------------------------------------- writes

    /** Sets {@code key} to {@code value} and drops any expiry, as Redis's setKey. */
    public void set(byte[] key, Object value) {
        set(key, value, false);
    }

    /** Sets {@code key}; with {@code keepTtl} an existing expiry stays (SET KEEPTTL, SETRANGE, APPEND...). */
    public void set(byte[] key, Object value, boolean keepTtl) {
        int h = Dict.hash(key);
        Dict.Entry e = keys.get(key, h);
        if (e != null && expires.size() > 0 && expireIfNeeded(key) && space.expireKeys()) {
            e = null; // an expired key is replaced as if absent (and counted as expired)
        }
        if (e == null) {
            e = keys.add(key, h, value);
            attach(key, value);
            space.initMeta(e);
        } else {
            space.beforeChange(this, e);
            detachValue(e.value);
            attachValue(value);
            e.value = value;
            e.meta &= ~AccessMeta.RAW_STRING;
            space.touch(e);
            if (!keepTtl && expires.size() > 0) {
                removeExpire(key);
            }
        }
    }

    /**
     * Stores a string produced by modifying one in place (APPEND, SETRANGE, SETBIT, BITFIELD, BITOP),
     * keeping the expiry; OBJECT ENCODING reports such strings as "raw", as Redis does.
     */
    public void setRaw(byte[] key, byte[] value) {
        set(key, value, true);
        keys.get(key).meta |= AccessMeta.RAW_STRING;
    }

    /** Adds a key known to be absent, keeping the caller's key array. */
    public void add(byte[] key, Object value) {
        Dict.Entry e = keys.add(key, value);
        attach(key, value);
        space.initMeta(e);
    }

    private void attach(byte[] key, Object value) {
        if (slotIndex != null) {
            slotIndex.add(key);
        }
        space.memoryCounter().add(MemoryEstimate.ENTRY + MemoryEstimate.array(key.length));
        attachValue(value);
        space.observer().keyCreated(this, key);
        if (value instanceof TypedValue) {
            space.observer().keyAdded(this, key, value);
        }
    }

    private void attachValue(Object value) {
        if (value instanceof TypedValue t) {
            t.attach(true);
        }
        space.memoryCounter().add(MemoryEstimate.value(value));
    }

    private void detachValue(Object value) {
        space.memoryCounter().add(-MemoryEstimate.value(value));
        if (value instanceof TypedValue t) {
            t.attach(false);
        }
    }

    public boolean delete(byte[] key) {
        Dict.Entry found = keys.get(key);
        if (found == null) {
            return false;
        }
        space.beforeChange(this, found);
        Dict.Entry e = keys.remove(key);
        if (slotIndex != null) {
            slotIndex.remove(e.key);
        }
        space.memoryCounter().add(-(MemoryEstimate.ENTRY + MemoryEstimate.array(e.key.length)));
        detachValue(e.value);
        if (expires.size() > 0) {
            removeExpire(key);
        }
        return true;
    }

    // ---------------------------------------------------------------- expiry

    /** The absolute expiry in unix ms, or -1 when the key has none (or does not exist). */
    public long expireAt(byte[] key) {
        if (expires.size() == 0) {
            return -1;
        }
        Dict.Entry x = expires.get(key);
        return x == null ? -1 : (Long) x.value;
    }

    /** Sets the expiry of an existing key; the expires table shares the key array with the key table. */
    public void expireAt(byte[] key, long whenMillis) {
        Dict.Entry e = keys.get(key);
        if (e == null) {
            return;
        }
        space.beforeChange(this, e);
        int before = expires.size();
        expires.put(e.key, whenMillis);
        if (expires.size() > before) {
            space.memoryCounter().add(MemoryEstimate.EXPIRE);
        }
    }

    public boolean removeExpire(byte[] key) {
        Dict.Entry e = keys.get(key);
        if (e != null) {
            space.beforeChange(this, e);
        }
        if (expires.remove(key) == null) {
            return false;
        }
        space.memoryCounter().add(-MemoryEstimate.EXPIRE);
        return true;
    }

    /** True when {@code key} has an expiry at or before now (whether or not it was deleted yet). */
    public boolean isLogicallyExpired(byte[] key) {
        long at = expireAt(key);
        return at >= 0 && at <= space.now();
    }

    // ---------------------------------------------------------------- whole-table operations

    public byte[] randomKey() {
        for (int tries = 0; tries < 100 && keys.size() > 0; tries++) {
            Dict.Entry e = keys.randomEntry();
            if (expires.size() == 0 || !isLogicallyExpired(e.key)) {
                return e.key;
            }
            if (space.expireKeys()) {
                expireIfNeeded(e.key);
            } else if (tries == 99) {
                return e.key;
            }
        }
        return null;
    }

    /** A random key that has an expiry, or null (for volatile-* eviction). */
    public byte[] randomVolatileKey() {
        Dict.Entry x = expires.randomEntry();
        return x == null ? null : x.key;
    }

    /** One SCAN step over the key table; see {@link Dict#scan}. */
    public long scan(long cursor, Consumer<Dict.Entry> visitor) {
        return keys.scan(cursor, visitor);
    }

    public void forEach(Consumer<Dict.Entry> action) {
        keys.forEach(action);
    }

    /** Marks an entry as captured by the running snapshot. */
    public void markCaptured(Dict.Entry e, int parity) {
        e.meta = (e.meta & ~AccessMeta.SNAPSHOT_MARK) | parity;
    }

    Dict expiresTable() {
        return expires;
    }

    /** Empties this database (FLUSHDB) and tells the keyspace observer. */
    public long flush() {
        long n = empty();
        space.observer().flushed(id);
        return n;
    }

    long empty() {
        space.beforeBulkChange();
        long n = keys.size();
        long bytes = (long) expires.size() * MemoryEstimate.EXPIRE;
        long[] sum = {0};
        keys.forEach(e -> {
            sum[0] += MemoryEstimate.entry(e.key, e.value);
            if (e.value instanceof TypedValue t) {
                t.attach(false);
            }
        });
        space.memoryCounter().add(-(bytes + sum[0]));
        keys = new Dict();
        expires = new Dict();
        if (slotIndex != null) {
            slotIndex.clear();
        }
        return n;
    }

    /** Exchanges contents with {@code other}, for SWAPDB: ids stay, tables move. */
    void swapWith(Database other) {
        Dict k = keys;
        Dict x = expires;
        keys = other.keys;
        expires = other.expires;
        other.keys = k;
        other.expires = x;
    }

    void shrinkIfSparse() {
        keys.shrinkIfSparse();
        expires.shrinkIfSparse();
    }

    /** Deletes an expired key found by the active cycle; true when it was deleted. */
    boolean activeExpire(Dict.Entry x, long now) {
        if ((Long) x.value > now) {
            return false;
        }
        byte[] key = x.key;
        delete(key);
        space.expiredKeys++;
        space.observer().keyExpired(this, key);
        return true;
    }
}
