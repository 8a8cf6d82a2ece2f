package io.rookery.node.multi;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Command;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.node.dispatch.MultiQueue;
import io.rookery.node.keyspace.BinaryKey;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.protocol.command.CommandFlag;
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

    /** Per client: the queue and the watches. */
    static final class State {
        final List<Command> commands = new ArrayList<>();
        final List<byte[][]> args = new ArrayList<>();
        boolean aborted;
        boolean touched;
        final List<DbKey> watched = new ArrayList<>();
        final List<Boolean> expiredAtWatch = new ArrayList<>();
    }

    private final Map<Client, State> states = new HashMap<>();
    private final Map<DbKey, List<Client>> watchers = new HashMap<>();
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
                dispatcher.call(c, commands.get(i), args.get(i));
            }
        } finally {
            c.inExec = false;
        }
    }

    private boolean watchedKeyExpired(State s) {
        for (int i = 0; i < s.watched.size(); i++) {
            DbKey k = s.watched.get(i);
            if (!s.expiredAtWatch.get(i) && keyspace.db(k.db()).isLogicallyExpired(k.key().bytes())) {
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
            if (s.watched.contains(k)) {
                continue;
            }
            s.watched.add(k);
            s.expiredAtWatch.add(keyspace.db(c.db).isLogicallyExpired(key));
            watchers.computeIfAbsent(k, x -> new ArrayList<>()).add(c);
        }
        c.reply().ok();
    }

    public void unwatch(Client c) {
        State s = states.get(c);
        if (s == null) {
            return;
        }
        for (DbKey k : s.watched) {
            List<Client> l = watchers.get(k);
            if (l != null) {
                l.remove(c);
                if (l.isEmpty()) {
                    watchers.remove(k);
                }
            }
        }
        s.watched.clear();
        s.expiredAtWatch.clear();
        s.touched = false;
    }

    // ---------------------------------------------------------------- touching

    /** A write changed {@code key} in database {@code db}: watches on it fire. */
    public void touch(int db, byte[] key) {
        if (watchers.isEmpty()) {
            return;
        }
        List<Client> l = watchers.get(new DbKey(db, new BinaryKey(key)));
        if (l != null) {
            for (Client c : l) {
                state(c).touched = true;
            }
        }
    }

    /** FLUSHDB, FLUSHALL, SWAPDB: every watch on an existing key of {@code db} fires (-1: all dbs). */
    public void touchAll(int db) {
        for (Map.Entry<DbKey, List<Client>> e : watchers.entrySet()) {
            if (db == -1 || e.getKey().db() == db) {
                for (Client c : e.getValue()) {
                    state(c).touched = true;
                }
            }
        }
    }

    public boolean hasWatchers() {
        return !watchers.isEmpty();
    }
}
