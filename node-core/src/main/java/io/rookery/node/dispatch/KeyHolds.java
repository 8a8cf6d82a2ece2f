package io.rookery.node.dispatch;

import io.rookery.node.client.Client;
import io.rookery.node.keyspace.BinaryKey;
import io.rookery.protocol.command.CommandSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keys that no command may touch for now, and the gate's check against them: MIGRATE holds the keys
 * it is moving while their payloads travel to the target off the command thread, so the move stays
 * atomic per key as Redis's blocking MIGRATE is (the source key is deleted only after the target
 * acknowledged it, and nothing can write to it in between, so no write is lost or half-moved).
 *
 * <p>While anything is held the gate postpones, like CLIENT PAUSE does, a command that names a held
 * key in the database it runs in, and every command that may touch keys it does not name: EXEC
 * (its queued commands), scripts and functions (which may reach undeclared keys), and keyless writes
 * (FLUSHALL, FLUSHDB, SWAPDB, DEBUG ...), and SHUTDOWN, which saves every key (Redis runs it only after a
 * blocking MIGRATE ended: a save taken mid-move would hold keys the move then deletes from memory only).
 * Commands queued inside MULTI are only queued, so they pass.
 * Postponed commands run, in arrival order, when the holds are released. Used on the command thread only.
 */
public final class KeyHolds {
    private static final Set<String> REACH_UNNAMED_KEYS = Set.of("exec", "eval", "evalsha", "eval_ro", "evalsha_ro",
            "fcall", "fcall_ro", "debug", "shutdown");

    private record DbKey(int db, BinaryKey key) {
    }

    /** Held keys and how many holders hold each (two MIGRATEs never hold one key: the second waits). */
    private final Map<DbKey, Integer> held = new HashMap<>();

    /** Holds {@code keys} of database {@code db} until {@link #release} with the same arguments. */
    public void hold(int db, List<byte[]> keys) {
        for (byte[] k : keys) {
            held.merge(new DbKey(db, new BinaryKey(k)), 1, Integer::sum);
        }
    }

    public void release(int db, List<byte[]> keys) {
        for (byte[] k : keys) {
            held.computeIfPresent(new DbKey(db, new BinaryKey(k)), (key, n) -> n == 1 ? null : n - 1);
        }
    }

    /** Whether any key is held (blocked clients then wait to be served, as their writes bypass the gate). */
    public boolean active() {
        return !held.isEmpty();
    }

    public boolean isHeld(int db, byte[] key) {
        return held.containsKey(new DbKey(db, new BinaryKey(key)));
    }

    /** Whether the gate must postpone {@code args} of {@code client} now. */
    boolean blocks(Client client, CommandSpec spec, byte[][] args) {
        if (held.isEmpty() || (client.inMulti && !spec.name().equals("exec"))) {
            return false;
        }
        String base = spec.name();
        int bar = base.indexOf('|');
        if (REACH_UNNAMED_KEYS.contains(bar < 0 ? base : base.substring(0, bar))) {
            return true;
        }
        int[] positions = spec.keyPositions(args);
        if (positions.length == 0) {
            return spec.isWrite();
        }
        for (int p : positions) {
            if (p < args.length && isHeld(client.db, args[p])) {
                return true;
            }
        }
        return false;
    }
}
