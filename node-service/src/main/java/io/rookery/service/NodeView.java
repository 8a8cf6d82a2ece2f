package io.rookery.service;

import java.util.Map;

/**
 * GET /api/v1/node: the node at a glance.
 *
 * @param role             "master" or "slave", as ROLE says
 * @param version          Rookery's version
 * @param redisVersion     the Redis version whose behaviour the node follows
 * @param port             the RESP port
 * @param uptimeSeconds    seconds since start
 * @param connectedClients open client connections
 * @param keys             keys per non-empty database, by index
 * @param usedMemory       estimated bytes of data (INFO used_memory)
 * @param usedMemoryRss    resident set size of the process
 */
public record NodeView(String role, String version, String redisVersion, int port, long uptimeSeconds,
                       int connectedClients, Map<Integer, Integer> keys, long usedMemory, long usedMemoryRss) {
}
