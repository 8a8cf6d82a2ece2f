package io.rookery.node.cluster;

import java.util.List;

/**
 * Reads nodes.conf lines into a {@link ClusterState} as Redis's {@code clusterLoadConfig} does: a
 * node per line (see {@link NodesDescription}), a {@code vars} line with the epochs; an address
 * without {@code @cport} means port + 10000. Anything else is a corrupt file, which stops the start.
 */
final class NodesConfParser {
    private NodesConfParser() {
    }

    static ClusterState parse(List<String> lines, long now) throws ClusterConfigException {
        ClusterState state = ClusterState.empty();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(" +");
            if (f[0].equals("vars")) {
                readVars(state, f);
                continue;
            }
            if (f.length < 8) {
                throw corrupt(line);
            }
            readNode(state, f, now, line);
        }
        if (state.myself() == null) {
            throw new ClusterConfigException("Unrecoverable error: corrupted cluster config file (no myself entry).");
        }
        state.currentEpoch = Math.max(state.currentEpoch, state.maxConfigEpoch());
        return state;
    }

    private static void readVars(ClusterState state, String[] f) throws ClusterConfigException {
        for (int i = 1; i + 1 < f.length; i += 2) {
            long v = number(f[i + 1], String.join(" ", f));
            switch (f[i]) {
                case "currentEpoch" -> state.currentEpoch = v;
                case "lastVoteEpoch" -> state.lastVoteEpoch = v;
                default -> throw corrupt(String.join(" ", f));
            }
        }
    }

    private static void readNode(ClusterState state, String[] f, long now, String line) throws ClusterConfigException {
        if (f[0].length() != 40) {
            throw corrupt(line);
        }
        ClusterNode n = known(state, f[0], now);
        String address = f[1];
        int comma = address.indexOf(',');
        if (comma >= 0) {
            n.hostname = address.substring(comma + 1);
            address = address.substring(0, comma);
        }
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw corrupt(line);
        }
        n.ip = address.substring(0, colon);
        String ports = address.substring(colon + 1);
        int at = ports.indexOf('@');
        n.port = (int) number(at >= 0 ? ports.substring(0, at) : ports, line);
        n.cport = at >= 0 ? (int) number(ports.substring(at + 1), line) : n.port + 10000;
        n.flags = ClusterNode.parseFlags(f[2]);
        if (n.has(ClusterNode.MYSELF)) {
            state.myself(n);
        }
        if (n.has(ClusterNode.FAIL)) {
            n.failTime = now;
        }
        if (!f[3].equals("-")) {
            n.setPrimary(known(state, f[3], now));
        }
        n.pingSent = number(f[4], line) != 0 ? now : 0;
        n.pongReceived = number(f[5], line) != 0 ? now : 0;
        n.configEpoch = number(f[6], line);
        for (int i = 8; i < f.length; i++) {
            readSlots(state, n, f[i], now, line);
        }
    }

    private static void readSlots(ClusterState state, ClusterNode n, String token, long now, String line)
            throws ClusterConfigException {
        if (token.startsWith("[")) {
            int arrow = token.indexOf("->-");
            int back = token.indexOf("-<-");
            if (!token.endsWith("]") || (arrow < 0 && back < 0)) {
                throw corrupt(line);
            }
            int split = arrow >= 0 ? arrow : back;
            int slot = slot(token.substring(1, split), line);
            ClusterNode other = known(state, token.substring(split + 3, token.length() - 1), now);
            if (arrow >= 0) {
                state.migratingTo(slot, other);
            } else {
                state.importingFrom(slot, other);
            }
            return;
        }
        int dash = token.indexOf('-');
        int first = slot(dash >= 0 ? token.substring(0, dash) : token, line);
        int last = dash >= 0 ? slot(token.substring(dash + 1), line) : first;
        for (int s = first; s <= last; s++) {
            state.assign(s, n);
        }
    }

    /** The node of that name, created without flags when the file names it before its own line. */
    private static ClusterNode known(ClusterState state, String name, long now) {
        ClusterNode n = state.node(name);
        if (n == null) {
            n = new ClusterNode(name, 0, now);
            state.add(n);
        }
        return n;
    }

    private static int slot(String s, String line) throws ClusterConfigException {
        long v = number(s, line);
        if (v < 0 || v >= ClusterState.SLOTS) {
            throw corrupt(line);
        }
        return (int) v;
    }

    private static long number(String s, String line) throws ClusterConfigException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw corrupt(line);
        }
    }

    private static ClusterConfigException corrupt(String line) {
        return new ClusterConfigException("Unrecoverable error: corrupted cluster config file \"" + line + "\".");
    }
}
