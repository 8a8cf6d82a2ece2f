package io.rookery.gateway;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The connected clients, for CLIENT LIST, INFO's connected_clients, maxclients and the REST view. */
public final class ClientRegistry {
    private final ConcurrentHashMap<Long, ClientSession> clients = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

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

    public Collection<ClientSession> all() {
        return clients.values();
    }
}
