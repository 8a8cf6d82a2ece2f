package io.rookery.gateway;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * INFO's Keyspace section for the whole dataset: {@code INFO keyspace} asked of every primary, and each
 * database's {@code keys} and {@code expires} summed; {@code avg_ttl} is the primaries' averages weighted
 * by their keys with an expiry. The section comes out as Redis writes it ({@code db0:keys=..,expires=..,
 * avg_ttl=..}, only the databases that have keys).
 */
final class KeyspaceInfo {
    private final LoopBackends backends;

    KeyspaceInfo(LoopBackends backends) {
        this.backends = backends;
    }

    /** Gathers the section; {@code done} gets its text, or {@code failed} the first primary's error. */
    void gather(ClientSession c, Consumer<String> done, Consumer<String> failed) {
        List<String> primaries = backends.gateway().topology().current().primaries();
        if (primaries.isEmpty()) {
            failed.accept("CLUSTERDOWN The cluster is down");
            return;
        }
        Sum sum = new Sum(primaries.size(), done, failed);
        byte[][] ask = BackendLink.args("INFO", "keyspace");
        for (String p : primaries) {
            new RoutedRequest(backends, ask, -1, 2, sum, c, false).startAt(p);
        }
    }

    /** Adds one primary's section to the totals. */
    static void add(String section, Map<String, long[]> totals) {
        for (String line : section.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (!line.startsWith("db") || colon < 0) {
                continue;
            }
            long[] t = totals.computeIfAbsent(line.substring(0, colon), k -> new long[3]);
            long keys = 0;
            long expires = 0;
            long avgTtl = 0;
            for (String f : line.substring(colon + 1).split(",")) {
                int eq = f.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                long v = Long.parseLong(f.substring(eq + 1).trim());
                switch (f.substring(0, eq)) {
                    case "keys" -> keys = v;
                    case "expires" -> expires = v;
                    case "avg_ttl" -> avgTtl = v;
                    default -> { }
                }
            }
            t[0] += keys;
            t[1] += expires;
            t[2] += avgTtl * expires; // weighted: divided by the expires total when rendered
        }
    }

    /** The section's text, "# Keyspace" and one line per database, in database order. */
    static String render(Map<String, long[]> totals) {
        StringBuilder sb = new StringBuilder("# Keyspace\r\n");
        Map<Integer, String> ordered = new TreeMap<>();
        totals.forEach((db, t) -> {
            if (t[0] > 0) {
                ordered.put(Integer.parseInt(db.substring(2)), db + ":keys=" + t[0] + ",expires=" + t[1] + ",avg_ttl="
                        + (t[1] == 0 ? 0 : t[2] / t[1]) + "\r\n");
            }
        });
        ordered.values().forEach(sb::append);
        return sb.toString();
    }

    private static final class Sum implements Receiver {
        private final Map<String, long[]> totals = new TreeMap<>();
        private final Consumer<String> done;
        private final Consumer<String> failed;
        private int remaining;
        private String error;

        Sum(int parts, Consumer<String> done, Consumer<String> failed) {
            this.remaining = parts;
            this.done = done;
            this.failed = failed;
        }

        @Override
        public void reply(ByteBuf buf, int from, int to) {
            byte prefix = buf.getByte(from);
            if (prefix == '$' || prefix == '=') {
                int body = buf.indexOf(from, to, (byte) '\n') + 1;
                try {
                    add(buf.toString(body, to - body, StandardCharsets.UTF_8), totals);
                } catch (NumberFormatException e) {
                    failed("ERR gateway: malformed INFO keyspace reply from a backend");
                    return;
                }
            } else if (error == null) {
                String line = ReplyFramer.line(buf, from);
                error = line != null ? line : "ERR gateway: unexpected INFO reply from a backend";
            }
            finish();
        }

        @Override
        public void failed(String e) {
            if (error == null) {
                error = e;
            }
            finish();
        }

        private void finish() {
            if (--remaining > 0) {
                return;
            }
            if (error != null) {
                failed.accept(error);
            } else {
                done.accept(render(totals));
            }
        }
    }
}
