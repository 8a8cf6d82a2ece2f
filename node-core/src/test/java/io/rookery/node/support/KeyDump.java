package io.rookery.node.support;

import io.rookery.protocol.RespValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads whole datasets through commands, for comparing two servers (or one before and after a
 * restart): one line per key with its database, type, whether it has a TTL and its contents, in an
 * order-independent form (sets and hashes sorted).
 */
public final class KeyDump {
    private KeyDump() {
    }

    /** The contents of {@code key} in the selected database, sets and hash pairs sorted. */
    public static List<String> value(RawConnection c, String key) throws Exception {
        String type = ((RespValue.SimpleString) c.call("TYPE", key)).value();
        RespValue v = switch (type) {
            case "list" -> c.call("LRANGE", key, "0", "-1");
            case "hash" -> c.call("HGETALL", key);
            case "set" -> c.call("SMEMBERS", key);
            case "zset" -> c.call("ZRANGE", key, "0", "-1", "WITHSCORES");
            default -> c.call("GET", key);
        };
        List<String> parts = new ArrayList<>();
        if (v instanceof RespValue.Array a) {
            a.elements().forEach(e -> parts.add(((RespValue.BulkString) e).text()));
        } else {
            parts.add(((RespValue.BulkString) v).text());
        }
        if (type.equals("hash")) {
            List<String> pairs = new ArrayList<>();
            for (int i = 0; i < parts.size(); i += 2) {
                pairs.add(parts.get(i) + "=" + parts.get(i + 1));
            }
            Collections.sort(pairs);
            return pairs;
        }
        if (type.equals("set")) {
            Collections.sort(parts);
        }
        return parts;
    }

    /** Every key of the given databases, sorted: "db:key:type:hasTtl:[contents]". */
    public static List<String> all(RawConnection c, int... dbs) throws Exception {
        List<String> out = new ArrayList<>();
        for (int db : dbs) {
            c.call("SELECT", Integer.toString(db));
            for (RespValue k : ((RespValue.Array) c.call("KEYS", "*")).elements()) {
                String key = ((RespValue.BulkString) k).text();
                String type = ((RespValue.SimpleString) c.call("TYPE", key)).value();
                long ttl = ((RespValue.Integer) c.call("TTL", key)).value();
                out.add(db + ":" + key + ":" + type + ":" + (ttl > 0) + ":" + value(c, key));
            }
        }
        c.call("SELECT", "0");
        Collections.sort(out);
        return out;
    }
}
