package io.rookery.protocol.cluster;

/**
 * A cluster redirection error: {@code MOVED <slot> <host>:<port>} or {@code ASK <slot> <host>:<port>}.
 */
public record Redirect(Kind kind, int slot, String host, int port) {

    public enum Kind { MOVED, ASK }

    /** Parses an error message (without the '-'); null when it is not a redirection. */
    public static Redirect parse(String error) {
        String[] parts = error.split(" ");
        if (parts.length != 3) {
            return null;
        }
        Kind kind;
        if (parts[0].equals("MOVED")) {
            kind = Kind.MOVED;
        } else if (parts[0].equals("ASK")) {
            kind = Kind.ASK;
        } else {
            return null;
        }
        int colon = parts[2].lastIndexOf(':');
        if (colon < 0) {
            return null;
        }
        try {
            int slot = Integer.parseInt(parts[1]);
            int port = Integer.parseInt(parts[2].substring(colon + 1));
            if (slot < 0 || slot >= SlotHash.SLOT_COUNT) {
                return null;
            }
            return new Redirect(kind, slot, parts[2].substring(0, colon), port);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The error text as a node replies it. */
    public String toError() {
        return kind.name() + " " + slot + " " + host + ":" + port;
    }
}
