package io.rookery.node.client;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The connected clients, by id, in connection order. Command-thread only. */
public final class ClientRegistry {
    private final Map<Long, Client> clients = new LinkedHashMap<>();
    private long nextId = 1;
    private long totalConnections;
    private long rejectedConnections;

    public long nextId() {
        return nextId++;
    }

    public void add(Client c) {
        clients.put(c.id(), c);
        totalConnections++;
    }

    public void remove(Client c) {
        clients.remove(c.id());
    }

    public Client get(long id) {
        return clients.get(id);
    }

    public int size() {
        return clients.size();
    }

    public Collection<Client> all() {
        return Collections.unmodifiableCollection(clients.values());
    }

    public long totalConnections() {
        return totalConnections;
    }

    public void rejected() {
        rejectedConnections++;
    }

    public long rejectedConnections() {
        return rejectedConnections;
    }

    public void resetStats() {
        totalConnections = 0;
        rejectedConnections = 0;
    }
}
