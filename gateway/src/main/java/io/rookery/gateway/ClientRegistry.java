package io.rookery.gateway;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The connected clients, for CLIENT LIST, INFO's connected_clients, maxclients and the REST view. */
public final class ClientRegistry {
    private final ConcurrentHashMap<Long, ClientSession> clients = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    /** CLIENT PAUSE, over every client of the gateway. */
    final ClientPause pause = new ClientPause();

    long nextId() {
        return ids.incrementAndGet();
    }

    void add(ClientSession c) {
        clients.put(c.id(), c);
    }

    void remove(ClientSession c) {
        clients.remove(c.id());
    }

    public int size() {
        return clients.size();
    }

    ClientSession byId(long id) {
        return clients.get(id);
    }

    /** Clients blocked on a backend (a blocking command, WAIT) or holding commands during a pause. */
    public int blocked() {
        int n = 0;
        for (ClientSession c : clients.values()) {
            if (c.blocked()) {
                n++;
            }
        }
        return n;
    }

    /** Clients with CLIENT TRACKING on (INFO's tracking_clients). */
    public int tracking() {
        int n = 0;
        for (ClientSession c : clients.values()) {
            if (c.tracking.enabled) {
                n++;
            }
        }
        return n;
    }

    public Collection<ClientSession> all() {
        return clients.values();
    }
}
