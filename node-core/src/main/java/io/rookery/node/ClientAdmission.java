package io.rookery.node;

import io.netty.buffer.ByteBufAllocator;
import io.rookery.node.client.Client;
import io.rookery.node.client.ClientConnection;
import io.rookery.node.client.ClientRegistry;
import io.rookery.node.config.NodeConfig;
import java.util.List;
import java.util.function.Consumer;

/**
 * Who may connect, and the bookkeeping of clients coming and going: maxclients and protected mode
 * refuse a connection before it becomes a client; a new client is authenticated when the default
 * user is on without a password; a departing client is forgotten by every subsystem that kept state for it.
 */
final class ClientAdmission {
    private final NodeConfig config;
    private final ClientRegistry clients;
    private final List<Consumer<Client>> forgetters;
    private final java.util.function.BooleanSupplier authRequired;
    /** Set on the command thread at stop; read there too (connections are admitted on the command thread). */
    private boolean closed;

    /**
     * @param forgetters   what each subsystem drops when a client disconnects (MONITOR, subscriptions, waits...)
     * @param authRequired whether a new connection must authenticate (the default user is off or has passwords)
     */
    ClientAdmission(NodeConfig config, ClientRegistry clients, List<Consumer<Client>> forgetters,
                    java.util.function.BooleanSupplier authRequired) {
        this.config = config;
        this.clients = clients;
        this.forgetters = List.copyOf(forgetters);
        this.authRequired = authRequired;
    }

    /**
     * Admits no connection any more (the node is stopping): one accepted now is closed without a word,
     * as a stopped redis-server's would be, so that no command runs after the node's last AOF flush
     * or save.
     */
    void close() {
        closed = true;
    }

    /**
     * Null to accept the connection, or the RESP error line to send before closing it (empty once
     * {@link #close closed}).
     */
    String admit(ClientConnection connection) {
        if (closed) {
            return "";
        }
        if (clients.size() >= config.maxclients) {
            clients.rejected();
            return "-ERR max number of clients reached\r\n";
        }
        if (config.protectedMode && config.requirepass.isEmpty() && !connection.isLoopback()) {
            clients.rejected();
            return ProtectedMode.DENIED;
        }
        return null;
    }

    Client connected(ClientConnection connection, ByteBufAllocator allocator) {
        Client c = new Client(clients.nextId(), connection, allocator, System.currentTimeMillis());
        c.authenticated = !authRequired.getAsBoolean();
        clients.add(c);
        return c;
    }

    void disconnected(Client client) {
        clients.remove(client);
        for (Consumer<Client> f : forgetters) {
            f.accept(client);
        }
    }
}
