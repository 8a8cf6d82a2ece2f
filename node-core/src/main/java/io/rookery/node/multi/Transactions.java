package io.rookery.node.multi;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Command;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.node.dispatch.MultiQueue;
import io.rookery.node.keyspace.BinaryKey;
import io.rookery.node.keyspace.Database;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.protocol.command.CommandFlag;
import io.rookery.protocol.command.CommandSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * MULTI/EXEC/WATCH (Redis's multi.c). Inside MULTI commands that pass the gate are queued and
 * answered QUEUED; one refused by the gate marks the transaction, and EXEC then answers EXECABORT.
 * WATCHed keys are touched by any write to them (by any client), by FLUSHDB/FLUSHALL/SWAPDB, and by
 * expiry; a touched watch makes EXEC answer a null array and run nothing.
 */
public final class Transactions implements MultiQueue {

    private record DbKey(int db, BinaryKey key) {
    }

    /**
     * One client's watch on one key. {@code expired}: the key was already logically expired when
     * watched, so its deletion (lazy or by a flush) is no change, as Redis's watchedKey.expired.
     */
    private static final class Watch {
        final DbKey key;
        final Client client;
        boolean expired;

        Watch(DbKey key, Client client, boolean expired) {
            this.key = key;
            this.client = client;
            this.expired = expired;
        }
    }

    /** Per client: the queue and the watches. */
    static final class State {
        final List<Command> commands = new ArrayList<>();
        final List<byte[][]> args = new ArrayList<>();
        boolean aborted;
        boolean touched;
        final List<Watch> watched = new ArrayList<>();
    }

    private final Map<Client, State> states = new HashMap<>();
    private final Map<DbKey, List<Watch>> watchers = new HashMap<>();
    private final Keyspace keyspace;
    private Dispatcher dispatcher;

    public Transactions(Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    public void dispatcher(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    private State state(Client c) {
        return states.computeIfAbsent(c, k -> new State());
    }

    // ---------------------------------------------------------------- the gate's hook

    @Override
    public boolean queues(Client client, Command command, byte[][] args) {
        if (!client.inMulti) {
            return false;
        }
        String name = command.spec().name();
        if (name.equals("exec") || name.equals("discard") || name.equals("multi") || name.equals("watch")
                || name.equals("quit") || name.equals("reset")) {
            return false;
        }
        if (command.spec().has(CommandFlag.NO_MULTI)) {
            client.reply().error("ERR Command not allowed inside a transaction");
            state(client).aborted = true;
            return true;
        }
        State s = state(client);
        s.commands.add(command);
        s.args.add(args);
        client.reply().simple("QUEUED");
        return true;
    }

    @Override
    public void rejected(Client client) {
        if (client.inMulti) {
            state(client).aborted = true;
        }
    }

    @Override
    public String execRefused(Client client, String error) {
        reset(client); // Redis answers any refused EXEC this way, inside MULTI or not
        String reason = error.startsWith("ERR ") ? error.substring(4) : error;
        return "EXECABORT Transaction discarded because of: " + reason;
    }

    @Override
    public CommandSpec execSpec(Client client, CommandSpec exec) {
        State s = states.get(client);
        if (s == null || s.commands.isEmpty()) {
            return exec;
        }
        int any = 0;
        int all = ~0;
        for (Command queued : s.commands) {
            any |= queued.spec().flagBits();
            all &= queued.spec().flagBits();
        }
        int inherited = CommandFlag.WRITE.bit() | CommandFlag.READONLY.bit() | CommandFlag.DENYOOM.bit()
                | CommandFlag.MAY_REPLICATE.bit();
        int flags = exec.flagBits() | (any & inherited);
        for (CommandFlag f : new CommandFlag[] {CommandFlag.STALE, CommandFlag.LOADING}) {
            if ((all & f.bit()) == 0) {
                flags &= ~f.bit(); // one queued command that may not run stale (or loading) holds EXEC back too
            }
        }
        return new CommandSpec(exec.name(), exec.arity(), flags, exec.firstKey(), exec.lastKey(), exec.keyStep(),
                exec.acl(), exec.group(), exec.since(), exec.complexity(), exec.summary(), exec.subcommands());
    }

    @Override
    public void forget(Client client) {
        unwatch(client);
        states.remove(client);
        client.inMulti = false;
    }

    // ---------------------------------------------------------------- commands

    public void multi(Client c) {
        if (c.inMulti) {
            c.reply().error("ERR MULTI calls can not be nested");
            return;
        }
        c.inMulti = true;
        State s = state(c);
        s.commands.clear();
        s.args.clear();
        s.aborted = false;
        c.reply().ok();
    }

    public void discard(Client c) {
        if (!c.inMulti) {
            c.reply().error("ERR DISCARD without MULTI");
            return;
        }
        reset(c);
        c.reply().ok();
    }

    private void reset(Client c) {
        c.inMulti = false;
        State s = state(c);
        s.commands.clear();
        s.args.clear();
        s.aborted = false;
        unwatch(c);
    }

    public void exec(Client c) {
        if (!c.inMulti) {
            c.reply().error("ERR EXEC without MULTI");
            return;
        }
        State s = state(c);
        if (s.aborted) {
            reset(c);
            c.reply().error("EXECABORT Transaction discarded because of previous errors.");
            return;
        }
        if (s.touched || watchedKeyExpired(s)) {
            reset(c);
            c.reply().nullArray();
            return;
        }
        List<Command> commands = new ArrayList<>(s.commands);
        List<byte[][]> args = new ArrayList<>(s.args);
        reset(c);
        c.reply().array(commands.size());
        c.inExec = true;
        try {
            for (int i = 0; i < commands.size(); i++) {
                // permissions are checked again: they may have changed since the command was queued
                String denied = dispatcher.acl().execError(c, commands.get(i).spec(), args.get(i));
                if (denied != null) {
                    c.reply().error(denied);
                    continue;
                }
                dispatcher.call(c, commands.get(i), args.get(i));
            }
        } finally {
            c.inExec = false;
        }
    }

    private boolean watchedKeyExpired(State s) {
        for (Watch w : s.watched) {
            if (!w.expired && keyspace.db(w.key.db()).isLogicallyExpired(w.key.key().bytes())) {
                return true;
            }
        }
        return false;
    }

    public void watch(Client c, byte[][] keys) {
        if (c.inMulti) {
            c.reply().error("ERR WATCH inside MULTI is not allowed");
            return;
        }
        State s = state(c);
        for (byte[] key : keys) {
            DbKey k = new DbKey(c.db, new BinaryKey(key));
            if (s.watched.stream().anyMatch(w -> w.key.equals(k))) {
                continue;
            }
            Watch w = new Watch(k, c, keyspace.db(c.db).isLogicallyExpired(key));
            s.watched.add(w);
            watchers.computeIfAbsent(k, x -> new ArrayList<>()).add(w);
        }
        c.reply().ok();
    }

    public void unwatch(Client c) {
        State s = states.get(c);
        if (s == null) {
            return;
        }
        for (Watch w : s.watched) {
            List<Watch> l = watchers.get(w.key);
            if (l != null) {
                l.remove(w);
                if (l.isEmpty()) {
                    watchers.remove(w.key);
                }
            }
        }
        s.watched.clear();
        s.touched = false;
    }

    // ---------------------------------------------------------------- touching

    /**
     * A write changed {@code key} in database {@code db} (called after the change): watches on it
     * fire, except a watch of a key already expired when watched that is now gone (its deletion,
     * lazy or active, is no logical change).
     */
    public void touch(int db, byte[] key) {
        if (watchers.isEmpty()) {
            return;
        }
        List<Watch> l = watchers.get(new DbKey(db, new BinaryKey(key)));
        if (l == null) {
            return;
        }
        boolean present = keyspace.db(db).holds(key);
        for (Watch w : l) {
            if (w.expired && !present) {
                w.expired = false; // a deleted key is no longer an expired one
                continue;
            }
            state(w.client).touched = true;
        }
    }

    /** Every watch on database {@code db} (-1: all) fires, whatever its key holds (DEBUG RELOAD, LOADAOF). */
    public void touchAll(int db) {
        for (Map.Entry<DbKey, List<Watch>> e : watchers.entrySet()) {
            if (db == -1 || e.getKey().db() == db) {
                for (Watch w : e.getValue()) {
                    state(w.client).touched = true;
                }
            }
        }
    }

    /**
     * FLUSHDB/FLUSHALL is about to empty database {@code db} (call it while the keys are still there):
     * watches on keys that exist fire; a watch on a key already expired when watched only forgets that.
     */
    public void flushing(int db) {
        emptying(db, keyspace.db(db), null);
    }

    /** SWAPDB {@code a} {@code b} is about to swap the two databases' contents (call it before). */
    public void swapping(int a, int b) {
        Database first = keyspace.db(a);
        Database second = keyspace.db(b);
        emptying(a, first, second);
        emptying(b, second, first);
    }

    /**
     * As Redis's touchAllWatchedKeysInDb: watches on database {@code db}, whose contents
     * {@code emptied} are replaced by {@code replacedWith} (null for a flush), fire when the key
     * exists in either; not when a stale key stays stale or a missing key becomes a stale one.
     */
    private void emptying(int db, Database emptied, Database replacedWith) {
        for (Map.Entry<DbKey, List<Watch>> e : watchers.entrySet()) {
            if (e.getKey().db() != db) {
                continue;
            }
            byte[] key = e.getKey().key().bytes();
            boolean inEmptied = emptied.holds(key);
            boolean inReplacement = replacedWith != null && replacedWith.holds(key);
            if (!inEmptied && !inReplacement) {
                continue;
            }
            for (Watch w : e.getValue()) {
                if (w.expired) {
                    if (!inReplacement) {
                        w.expired = false; // the stale key is gone: no logical change
                        continue;
                    }
                    if (replacedWith.isLogicallyExpired(key)) {
                        continue; // stale before, stale after
                    }
                } else if (!inEmptied && replacedWith.isLogicallyExpired(key)) {
                    w.expired = true; // nothing before, a stale key after
                    continue;
                }
                state(w.client).touched = true;
            }
        }
    }

    public boolean hasWatchers() {
        return !watchers.isEmpty();
    }
}
