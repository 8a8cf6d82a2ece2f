package io.rookery.node.command;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.replication.Replication;
import io.rookery.protocol.Numbers;

/** REPLICAOF/SLAVEOF, PSYNC/SYNC, REPLCONF, WAIT, ROLE; the protocol lives in Replication. */
final class ReplicationCommands extends CommandGroup {

    private final Replication replication;

    ReplicationCommands(CommandBasics basics, Replication replication) {
        super(basics);
        this.replication = replication;
    }

    void register(CommandRegistry r) {
        r.register("replicaof", this::replicaof)
                .register("slaveof", this::replicaof)
                .register("psync", (c, a) -> {
                    long offset = Numbers.parseLong(a[2]);
                    replication.psync(c, Args.text(a[1]), offset == Numbers.INVALID ? -1 : offset);
                })
                .register("sync", (c, a) -> {
                    c.replicaPrePsync = true; // the old protocol: the RDB payload without a +FULLRESYNC line
                    replication.psync(c, "?", -1);
                })
                .register("replconf", (c, a) -> replication.replconf(c, a))
                .register("wait", this::waitCommand)
                .register("role", (c, a) -> replication.role(c.reply()));
    }

    // REPLICAOF host port | REPLICAOF NO ONE
    private void replicaof(Client c, byte[][] a) {
        if (Args.is(a[1], "NO") && Args.is(a[2], "ONE")) {
            replication.promote();
            config.replicaof = "";
            c.reply().ok();
            return;
        }
        long port = Args.integer(a[2]);
        if (port < 0 || port > 65535) {
            throw new CommandError("ERR Invalid master port");
        }
        String reply = replication.replicaOf(Args.text(a[1]), (int) port);
        config.replicaof = Args.text(a[1]) + " " + port;
        c.reply().simple(reply);
    }

    // WAIT numreplicas timeout
    private void waitCommand(Client c, byte[][] a) {
        if (replication.isReplica()) {
            throw new CommandError("ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 "
                    + "if a replica is configured to be writable (which is not the default) writes to replicas are just "
                    + "local and are not propagated.");
        }
        long replicas = Args.integer(a[1]);
        long timeout = Args.integer(a[2], "ERR timeout is not an integer or out of range");
        if (timeout < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        if (c.inMulti || c.inExec) {
            c.reply().integer(0);
            return;
        }
        replication.waitFor(c, replicas, timeout);
    }
}
