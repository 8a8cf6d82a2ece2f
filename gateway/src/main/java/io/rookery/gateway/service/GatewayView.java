package io.rookery.gateway.service;

import io.rookery.gateway.ClientSession;
import io.rookery.gateway.Gateway;
import io.rookery.gateway.GatewayStats;
import io.rookery.gateway.SlotMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /api/v1/gateway} answers.
 *
 * @param backendKind     "cluster" or "sentinel"
 * @param slotMapVersion  grows with each change of the slot assignment
 * @param slotMapAgeMillis since the map was last confirmed (-1 before the first)
 * @param slotsServed     slots with a primary (16384 when healthy)
 * @param backends        every node known, with its role, slots and link state
 * @param clients         connected clients
 * @param pinnedConnections dedicated backend connections open
 */
record GatewayView(String backendKind, long slotMapVersion, long slotMapAgeMillis, int slotsServed,
                   List<Backend> backends, List<Client> clients, int pinnedConnections) {

    /**
     * @param address  "host:port"
     * @param role     "primary" or "replica"
     * @param slots    slots it serves
     * @param failed   flagged failed by the cluster
     * @param link     "connected", "closed", or "idle" (no shared link open)
     * @param requests requests sent to it
     * @param errors   requests answered with an error (its own or the gateway's)
     */
    record Backend(String address, String role, int slots, boolean failed, String link, long requests, long errors) {
    }

    /** One client connection. */
    record Client(long id, String address, String name, int protocol, long ageSeconds, long idleSeconds,
                  String lastCommand) {
    }

    static GatewayView of(Gateway g) {
        SlotMap map = g.topology().current();
        Map<String, String> links = g.backendStates();
        List<Backend> backends = new ArrayList<>();
        for (SlotMap.NodeView n : map.nodes()) {
            GatewayStats.Timing t = g.stats().backends().get(n.address());
            backends.add(new Backend(n.address(), n.primary() ? "primary" : "replica", map.slotsOf(n.address()),
                    n.failed(), links.getOrDefault(n.address(), "idle"), t == null ? 0 : t.count(),
                    t == null ? 0 : t.errors()));
        }
        List<Client> clients = new ArrayList<>();
        for (ClientSession c : g.clients().all()) {
            clients.add(new Client(c.id(), c.remoteAddress(), c.name(), c.protocol(), c.ageSeconds(), c.idleSeconds(),
                    c.lastCommand()));
        }
        long age = map.takenAtMillis() == 0 ? -1 : System.currentTimeMillis() - map.takenAtMillis();
        return new GatewayView(g.topology().kind(), map.version(), age, map.servedSlots(), backends, clients,
                g.pinnedConnections());
    }
}
