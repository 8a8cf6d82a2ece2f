package io.rookery.gateway;

import io.rookery.protocol.cluster.SlotHash;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the {@code CLUSTER NODES} replies of several nodes into one slot map. Each line reads
 *
 * <pre>
 * id host:port@busport[,hostname] flags primary-id ping-sent pong-recv config-epoch link-state slot...
 * slot = n | n-m | [n-&gt;-id] | [n-&lt;-id]          ; bracketed entries (migrations) are skipped
 * </pre>
 *
 * <p>Nodes learn of a failover at different moments, so their views disagree for a while: for each
 * slot the claim with the highest config epoch wins, as it does inside the cluster itself (a promoted
 * replica bumps its epoch). CLUSTER NODES carries the epochs (SLOTS and SHARDS do not), which is why
 * the gateway reads it.
 */
public final class ClusterNodesView {
    private final String[] owners = new String[SlotHash.SLOT_COUNT];
    private final long[] epochs = new long[SlotHash.SLOT_COUNT];
    private final Map<String, SlotMap.NodeView> nodes = new LinkedHashMap<>();
    private int views;

    public ClusterNodesView() {
        java.util.Arrays.fill(epochs, -1);
    }

    /** Adds one node's reply. */
    public void add(String clusterNodes) {
        views++;
        for (String line : clusterNodes.split("\n")) {
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(" ");
            if (f.length < 8) {
                continue;
            }
            String flags = f[2];
            if (flags.contains("handshake") || flags.contains("noaddr")) {
                continue;
            }
            String address = address(f[1]);
            if (address == null) {
                continue;
            }
            boolean primary = flags.contains("master");
            boolean failed = flags.contains("fail");
            long epoch = parseLong(f[6]);
            SlotMap.NodeView known = nodes.get(f[0]);
            if (known == null || epoch > known.epoch() || (epoch == known.epoch() && !failed && known.failed())) {
                nodes.put(f[0], new SlotMap.NodeView(f[0], address, primary, primary ? null : f[3], failed, epoch));
            }
            if (!primary) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                String range = f[i];
                if (range.startsWith("[")) {
                    continue;
                }
                int dash = range.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
                for (int s = from; s <= to && s < SlotHash.SLOT_COUNT; s++) {
                    if (epoch > epochs[s]) {
                        epochs[s] = epoch;
                        owners[s] = address;
                    }
                }
            }
        }
    }

    public int views() {
        return views;
    }

    /** The merged map with the given version. */
    public SlotMap toSlotMap(long version) {
        return new SlotMap(owners.clone(), List.copyOf(new ArrayList<>(nodes.values())), version,
                System.currentTimeMillis());
    }

    /** "host:port" from "host:port@bus[,hostname]"; null for a node without an address. */
    static String address(String field) {
        int at = field.indexOf('@');
        String hostPort = at < 0 ? field : field.substring(0, at);
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || hostPort.endsWith(":0")) {
            return null;
        }
        return hostPort;
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
