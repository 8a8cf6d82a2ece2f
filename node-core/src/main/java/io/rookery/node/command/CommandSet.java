package io.rookery.node.command;

import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.cluster.ClusterCommands;
import io.rookery.node.scripting.ScriptingCommands;

/**
 * Registers every command family's handlers with the registry, explicitly, giving each family only
 * the parts it uses. A new family is one line here.
 */
public final class CommandSet {
    private CommandSet() {
    }

    public static void registerAll(CommandRegistry r, CommandParts p) {
        CommandBasics b = p.basics();
        new StringCommands(b).register(r);
        new BitCommands(b).register(r);
        new KeyCommands(b, p.transactions(), p.blocking()).register(r);
        new ExpireCommands(b).register(r);
        new ObjectCommands(b, p.types(), p.debugSwitches()).register(r);
        new RestoreCommand(b, p.types(), p.debugSwitches(), p.loop()).register(r);
        new MemoryCommands(b, p.clients(), p.info()).register(r);
        new LolwutCommand(b).register(r);
        new MigrateCommand(b, p.migrateConnections(), p.loop()).register(r);
        new ConnectionCommands(b, p.pubsub(), p.profile()).register(r);
        new AclCommands(b, p.clients()).register(r);
        new ClientCommands(b, p.clients(), p.loop()).register(r);
        new ClientUnblockCommand(b, p.clients(), p.blocking()).register(r);
        new TrackingCommands(b, p.tracking(), p.clients()).register(r);
        new ServerCommands(b, p.info(), p.persistence(), p.evictor(), p.clients(), p.stats(), p.shutdown()).register(r);
        new CommandCommands(b).register(r);
        new LatencyCommands(b, p.info()).register(r);
        new HashCommands(b, p.types()).register(r);
        new ListCommands(b, p.types(), p.blocking()).register(r);
        new SetCommands(b, p.types()).register(r);
        new ZSetCommands(b, p.types(), p.blocking()).register(r);
        new GeoCommands(b, p.types()).register(r);
        new HyperLogLogCommands(b).register(r);
        new SortCommand(b, p.types()).register(r);
        new StreamCommands(b, p.types(), p.blocking()).register(r);
        new StreamReadCommands(b, p.blocking()).register(r);
        new StreamGroupCommands(b, p.types(), p.blocking()).register(r);
        new StreamInfoCommands(b).register(r);
        new TransactionCommands(b, p.transactions()).register(r);
        new PubSubCommands(b, p.pubsub()).register(r);
        new PersistenceCommands(b, p.persistence()).register(r);
        new ReplicationCommands(b, p.replication()).register(r);
        new DebugCommands(b, p.types(), p.transactions(), p.expireCycle(), p.persistence(), p.replication(),
                p.debugSwitches()).register(r);
        new ScriptingCommands(b.dispatcher(), p.loop(), b.config(), b.keyspace(), p.info(), p.debugSwitches(),
                p.onShutdown()).register(r);
        new ClusterCommands(p::cluster, b.keyspace()).register(r);
    }
}
