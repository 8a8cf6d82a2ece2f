package io.rookery.admin.cluster;

/**
 * Where a node's RESP port listens, as {@code host:port} (IPv6 hosts as Redis writes them in CLUSTER
 * NODES: the last colon separates the port).
 */
public record NodeAddress(String host, int port) {
    public NodeAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("a node address needs a host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Parses {@code host:port}; throws IllegalArgumentException naming the text when it is not one. */
    public static NodeAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("not a host:port address: " + text);
        }
        try {
            return new NodeAddress(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a host:port address: " + text);
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
