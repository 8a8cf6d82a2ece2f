package io.rookery.admin.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Parses the text CLUSTER NODES replies (Redis 7.0's format, see {@link ClusterNodeEntry}). */
public final class ClusterNodesParser {
    private ClusterNodesParser() {
    }

    public static List<ClusterNodeEntry> parse(String text) {
        List<ClusterNodeEntry> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            line = line.trim();
            if (!line.isEmpty()) {
                out.add(parseLine(line));
            }
        }
        return out;
    }

    static ClusterNodeEntry parseLine(String line) {
        String[] f = line.split(" ");
        if (f.length < 8) {
            throw new IllegalArgumentException("not a CLUSTER NODES line: " + line);
        }
        String endpoint = f[1];
        String hostname = null;
        int comma = endpoint.indexOf(',');
        if (comma >= 0) {
            hostname = endpoint.substring(comma + 1);
            endpoint = endpoint.substring(0, comma);
        }
        int at = endpoint.indexOf('@');
        int busPort = 0;
        if (at >= 0) {
            busPort = Integer.parseInt(endpoint.substring(at + 1));
            endpoint = endpoint.substring(0, at);
        }
        NodeAddress address = null;
        int colon = endpoint.lastIndexOf(':');
        if (colon > 0) {
            int port = Integer.parseInt(endpoint.substring(colon + 1));
            if (port > 0) {
                address = new NodeAddress(endpoint.substring(0, colon), port);
            }
        }
        LinkedHashSet<String> flags = new LinkedHashSet<>(Arrays.asList(f[2].split(",")));
        String primary = f[3].equals("-") ? null : f[3];
        BitSet slots = new BitSet(16384);
        Map<Integer, String> migrating = new TreeMap<>();
        Map<Integer, String> importing = new TreeMap<>();
        for (int i = 8; i < f.length; i++) {
            String s = f[i];
            if (s.startsWith("[")) {
                String body = s.substring(1, s.length() - 1);
                int mig = body.indexOf("->-");
                int imp = body.indexOf("-<-");
                if (mig > 0) {
                    migrating.put(Integer.parseInt(body.substring(0, mig)), body.substring(mig + 3));
                } else if (imp > 0) {
                    importing.put(Integer.parseInt(body.substring(0, imp)), body.substring(imp + 3));
                }
            } else if (!s.isEmpty()) {
                int dash = s.indexOf('-');
                int first = Integer.parseInt(dash < 0 ? s : s.substring(0, dash));
                int last = dash < 0 ? first : Integer.parseInt(s.substring(dash + 1));
                slots.set(first, last + 1);
            }
        }
        return new ClusterNodeEntry(f[0], address, busPort, hostname, flags, primary, Long.parseLong(f[4]),
                Long.parseLong(f[5]), Long.parseLong(f[6]), f[7], slots, migrating, importing);
    }
}
