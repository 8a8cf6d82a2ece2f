package io.rookery.node.command;

import io.netty.channel.EventLoop;
import io.rookery.node.NodeProfile;
import io.rookery.node.NodeStats;
import io.rookery.node.blocking.Blocking;
import io.rookery.node.client.ClientRegistry;
import io.rookery.node.debug.DebugSwitches;
import io.rookery.node.eviction.Evictor;
import io.rookery.node.info.InfoReport;
import io.rookery.node.keyspace.ActiveExpireCycle;
import io.rookery.node.multi.Transactions;
import io.rookery.node.persistence.Persistence;
import io.rookery.node.pubsub.PubSub;
import io.rookery.node.replication.Replication;
import io.rookery.node.tracking.KeyTracking;
import io.rookery.node.types.TypeContext;
import java.util.function.Consumer;

/**
 * Every part a command family may draw on, as the node's assembly built them. Only {@link CommandSet}
 * reads this record: it hands each family the few parts that family uses, by constructor.
 *
 * @param basics       what every family shares (config, keyspace, dispatcher, notifications)
 * @param profile      the node's mode (HELLO's and INFO's {@code mode})
 * @param loop         the command thread, for timers (CLIENT PAUSE's end)
 * @param debugSwitches what DEBUG flips for tests (PAUSE-CRON, SET-SKIP-CHECKSUM-VALIDATION...)
 * @param shutdown     asks the node to stop (SHUTDOWN, after it saved)
 * @param onShutdown   registers what must happen when the node stops (a running script is killed)
 * @param tracking     client-side caching (CLIENT TRACKING)
 */
public record CommandParts(CommandBasics basics, NodeProfile profile, EventLoop loop, TypeContext types,
                           Blocking blocking, Transactions transactions, ClientRegistry clients, PubSub pubsub,
                           Persistence persistence, Replication replication, Evictor evictor, InfoReport info,
                           NodeStats stats, ActiveExpireCycle expireCycle, DebugSwitches debugSwitches,
                           Runnable shutdown, Consumer<Runnable> onShutdown, KeyTracking tracking) {
}
