package io.rookery.node.eviction;

import io.rookery.node.client.Client;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.dispatch.CommandGuard;
import io.rookery.protocol.command.CommandFlag;
import io.rookery.protocol.command.CommandSpec;

/**
 * The gate's memory check: evicts as the policy allows before every command so used memory stays
 * within the {@link MemoryLimit} ({@code maxmemory}, or what the heap can hold when that is 0 or too
 * big); if memory is still over the limit, commands that may grow memory (denyoom), and anything
 * queued inside MULTI, get Redis's OOM error. Reads, deletes, EXEC and DISCARD still run.
 */
public final class OomGuard implements CommandGuard {
    public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

    private final Evictor evictor;
    private final NodeConfig config;

    public OomGuard(Evictor evictor, NodeConfig config) {
        this.evictor = evictor;
        this.config = config;
    }

    @Override
    public String check(Client client, CommandSpec spec, byte[][] args) {
        boolean outOfMemory = !evictor.performEvictions();
        if (!outOfMemory) {
            return null;
        }
        String name = spec.name();
        boolean reject = spec.has(CommandFlag.DENYOOM)
                || client.inMulti && !name.equals("exec") && !name.equals("discard") && !name.equals("multi")
                && !name.equals("watch") && !name.equals("unwatch") && !name.equals("reset");
        return reject ? OOM : null;
    }
}
