package io.rookery.gateway;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * INFO of the gateway, in Redis's field format: server (version, mode, port, uptime), clients,
 * stats (commands, connections, redirections absorbed, split commands), the backend (kind, slot map
 * version and age, primaries) and per-command stats. Sections are chosen as INFO does (none, "all",
 * "everything", or names).
 */
final class GatewayInfo {
    private GatewayInfo() {
    }

    static String render(GatewayContext g, byte[][] args) {
        List<String> wanted = new java.util.ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            wanted.add(CommandRouter.text(args[i]).toLowerCase(Locale.ROOT));
        }
        boolean all = wanted.isEmpty() || wanted.contains("all") || wanted.contains("everything")
                || wanted.contains("default");
        StringBuilder sb = new StringBuilder();
        if (all || wanted.contains("server")) {
            section(sb, "Server");
            field(sb, "redis_version", LocalCommands.VERSION);
            field(sb, "redis_mode", "standalone");
            field(sb, "rookery_role", "gateway");
            field(sb, "os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
            field(sb, "process_id", ProcessHandle.current().pid());
            field(sb, "tcp_port", g.config().port());
            field(sb, "uptime_in_seconds", LocalCommands.uptimeSeconds());
            field(sb, "uptime_in_days", LocalCommands.uptimeSeconds() / 86400);
        }
        if (all || wanted.contains("clients")) {
            section(sb, "Clients");
            field(sb, "connected_clients", g.clients().size());
            field(sb, "cluster_connections", 0);
            field(sb, "maxclients", g.config().maxClients());
            field(sb, "client_recent_max_input_buffer", 0);
            field(sb, "client_recent_max_output_buffer", 0);
            field(sb, "blocked_clients", g.clients().blocked());
            field(sb, "tracking_clients", g.clients().tracking());
            field(sb, "clients_in_timeout_table", 0);
            field(sb, "pinned_backend_connections", g.pinned().get());
        }
        if (all || wanted.contains("stats")) {
            GatewayStats s = g.stats();
            section(sb, "Stats");
            field(sb, "total_connections_received", s.connectionsReceived());
            field(sb, "total_commands_processed", s.commandsProcessed());
            field(sb, "rejected_connections", s.connectionsRejected());
            field(sb, "client_output_buffer_limit_disconnections", s.outputLimitDisconnects());
            field(sb, "redirections_moved", s.redirections(GatewayStats.Redirection.MOVED));
            field(sb, "redirections_ask", s.redirections(GatewayStats.Redirection.ASK));
            field(sb, "redirections_tryagain", s.redirections(GatewayStats.Redirection.TRYAGAIN));
            field(sb, "split_commands", s.splits());
            field(sb, "slot_map_refreshes", g.topology().refreshes());
        }
        if (all || wanted.contains("replication")) {
            section(sb, "Replication");
            field(sb, "role", "master");
            field(sb, "connected_slaves", 0);
        }
        if (all || wanted.contains("backend") || wanted.contains("cluster")) {
            SlotMap map = g.topology().current();
            section(sb, "Cluster");
            field(sb, "cluster_enabled", 0);
            section(sb, "Backend");
            field(sb, "backend_kind", g.topology().kind());
            field(sb, "slot_map_version", map.version());
            field(sb, "slot_map_age_ms", map.takenAtMillis() == 0 ? -1 : System.currentTimeMillis() - map.takenAtMillis());
            field(sb, "slots_served", map.servedSlots());
            List<String> primaries = map.primaries();
            for (int i = 0; i < primaries.size(); i++) {
                field(sb, "primary" + i, primaries.get(i) + ",slots=" + map.slotsOf(primaries.get(i)));
            }
        }
        if (wanted.contains("everything") || wanted.contains("commandstats")) {
            section(sb, "Commandstats");
            Map<String, GatewayStats.Timing> sorted = new TreeMap<>(g.stats().commands());
            sorted.forEach((name, t) -> {
                long calls = t.count();
                double usec = t.totalSeconds() * 1e6;
                field(sb, "cmdstat_" + name, String.format(Locale.ROOT, "calls=%d,usec=%.0f,usec_per_call=%.2f,failed_calls=%d",
                        calls, usec, calls == 0 ? 0 : usec / calls, t.errors()));
            });
        }
        return sb.toString();
    }

    /** Whether INFO with these arguments has the Keyspace section (gathered from the primaries). */
    static boolean wantsKeyspace(byte[][] args) {
        if (args.length == 1) {
            return true;
        }
        for (int i = 1; i < args.length; i++) {
            String s = CommandRouter.text(args[i]).toLowerCase(Locale.ROOT);
            if (s.equals("keyspace") || s.equals("all") || s.equals("everything") || s.equals("default")) {
                return true;
            }
        }
        return false;
    }

    private static void section(StringBuilder sb, String name) {
        if (sb.length() > 0) {
            sb.append("\r\n");
        }
        sb.append("# ").append(name).append("\r\n");
    }

    private static void field(StringBuilder sb, String name, Object value) {
        sb.append(name).append(':').append(value).append("\r\n");
    }
}
