package io.rookery.node.status;

import java.util.List;
import java.util.Map;

/**
 * The node at one instant, taken on the command thread and immutable afterwards, so HTTP handlers and
 * metric scrapes on other threads read it without touching live engine structures.
 *
 * @param takenAtMillis     when it was taken (wall clock)
 * @param role              "master" or "slave", as ROLE says
 * @param port              the bound RESP port
 * @param uptimeSeconds     seconds since start
 * @param connectedClients  open client connections
 * @param totalConnections  connections accepted since start
 * @param keysPerDatabase   keys of each database, by index (every database, empty ones too)
 * @param expiredKeys       keys removed because their time to live passed
 * @param evictedKeys       keys evicted by the maxmemory policy
 * @param keyspaceHits      successful key lookups
 * @param keyspaceMisses    failed key lookups
 * @param usedMemory        INFO used_memory
 * @param netInputBytes     bytes read from clients
 * @param netOutputBytes    bytes written to clients
 * @param persistence       snapshot and AOF state
 * @param replication       role, offsets and replicas
 * @param commands          counters of every registered command, by name
 */
public record NodeStatus(long takenAtMillis, String role, int port, long uptimeSeconds, int connectedClients,
                         long totalConnections, List<Integer> keysPerDatabase, long expiredKeys, long evictedKeys,
                         long keyspaceHits, long keyspaceMisses, long usedMemory, long netInputBytes,
                         long netOutputBytes, PersistenceStatus persistence, ReplicationStatus replication,
                         Map<String, CommandCounters> commands) {
    public NodeStatus {
        keysPerDatabase = List.copyOf(keysPerDatabase);
        commands = Map.copyOf(commands);
    }

    /** Counters of one command (INFO commandstats). */
    public record CommandCounters(long calls, long micros, long failedCalls, long rejectedCalls) {
        public static final CommandCounters NONE = new CommandCounters(0, 0, 0, 0);
    }

    /** The counters of {@code name}, zeros when it is not registered. */
    public CommandCounters command(String name) {
        return commands.getOrDefault(name, CommandCounters.NONE);
    }
}
