package io.rookery.node.command;

import static io.rookery.node.config.KeyspaceEventFlags.GENERIC;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.keyspace.Database;

/** Expiry commands (Redis's expire.c): EXPIRE family with NX|XX|GT|LT, TTL family, PERSIST. */
final class ExpireCommands extends CommandGroup {

    ExpireCommands(CommandBasics basics) {
        super(basics);
    }

    void register(CommandRegistry r) {
        r.register("expire", (c, a) -> expire(c, a, false, false, "expire"))
                .register("pexpire", (c, a) -> expire(c, a, true, false, "pexpire"))
                .register("expireat", (c, a) -> expire(c, a, false, true, "expireat"))
                .register("pexpireat", (c, a) -> expire(c, a, true, true, "pexpireat"))
                .register("ttl", (c, a) -> ttl(c, a, false, false))
                .register("pttl", (c, a) -> ttl(c, a, true, false))
                .register("expiretime", (c, a) -> ttl(c, a, false, true))
                .register("pexpiretime", (c, a) -> ttl(c, a, true, true))
                .register("persist", this::persist);
    }

    // EXPIRE key seconds [NX | XX | GT | LT]; replies 1 when the timeout was set, 0 otherwise.
    private void expire(Client c, byte[][] a, boolean millis, boolean absolute, String name) {
        boolean nx = false, xx = false, gt = false, lt = false;
        for (int i = 3; i < a.length; i++) {
            if (Args.is(a[i], "NX")) {
                nx = true;
            } else if (Args.is(a[i], "XX")) {
                xx = true;
            } else if (Args.is(a[i], "GT")) {
                gt = true;
            } else if (Args.is(a[i], "LT")) {
                lt = true;
            } else {
                throw new CommandError("ERR Unsupported option " + Args.text(a[i]));
            }
        }
        if (nx && (xx || gt || lt)) {
            throw new CommandError("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if (gt && lt) {
            throw new CommandError("ERR GT and LT options at the same time are not compatible");
        }
        long v = Args.integer(a[2]);
        long when;
        try {
            when = millis ? v : Math.multiplyExact(v, 1000L);
            if (!absolute) {
                when = Math.addExact(when, keyspace.now());
            }
        } catch (ArithmeticException e) {
            throw new CommandError(Errors.invalidExpire(name));
        }
        Database db = db(c);
        if (!db.exists(a[1])) {
            c.reply().integer(0);
            return;
        }
        long current = db.expireAt(a[1]);
        if (nx && current >= 0 || xx && current < 0 || gt && (current < 0 || when <= current)
                || lt && current >= 0 && when >= current) {
            c.reply().integer(0);
            return;
        }
        if (when <= keyspace.now()) {
            db.delete(a[1]);
            notify(c, GENERIC, "del", a[1]);
            propagateAs(c, bytes("DEL"), a[1]);
        } else {
            db.expireAt(a[1], when);
            notify(c, GENERIC, "expire", a[1]);
            propagateAs(c, bytes("PEXPIREAT"), a[1], io.rookery.protocol.Numbers.toBytes(when));
        }
        dirty(1);
        c.reply().integer(1);
    }

    private void ttl(Client c, byte[][] a, boolean millis, boolean absolute) {
        Database db = db(c);
        if (!db.exists(a[1])) {
            c.reply().integer(-2);
            return;
        }
        long at = db.expireAt(a[1]);
        if (at < 0) {
            c.reply().integer(-1);
            return;
        }
        if (absolute) {
            c.reply().integer(millis ? at : at / 1000);
            return;
        }
        long left = Math.max(0, at - keyspace.now());
        c.reply().integer(millis ? left : (left + 500) / 1000);
    }

    private void persist(Client c, byte[][] a) {
        Database db = db(c);
        if (db.exists(a[1]) && db.removeExpire(a[1])) {
            dirty(1);
            notify(c, GENERIC, "persist", a[1]);
            c.reply().integer(1);
        } else {
            c.reply().integer(0);
        }
    }
}
