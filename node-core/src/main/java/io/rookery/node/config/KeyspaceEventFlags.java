package io.rookery.node.config;

/**
 * {@code notify-keyspace-events} flag letters, as Redis's keyspaceEventsStringToFlags /
 * keyspaceEventsFlagsToString: K keyspace, E keyevent, g generic, $ string, l list, s set, h hash,
 * z zset, x expired, e evicted, t stream, m key-miss, d module, n new key, A alias for "g$lshzxetd".
 */
public final class KeyspaceEventFlags {
    public static final int KEYSPACE = 1, KEYEVENT = 1 << 1, GENERIC = 1 << 2, STRING = 1 << 3, LIST = 1 << 4,
            SET = 1 << 5, HASH = 1 << 6, ZSET = 1 << 7, EXPIRED = 1 << 8, EVICTED = 1 << 9, STREAM = 1 << 10,
            KEY_MISS = 1 << 11, MODULE = 1 << 12, NEW = 1 << 13;
    public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    private KeyspaceEventFlags() {
    }

    public static int parse(String s) throws ConfigException {
        int flags = 0;
        for (char c : s.toCharArray()) {
            flags |= switch (c) {
                case 'A' -> ALL;
                case 'g' -> GENERIC;
                case '$' -> STRING;
                case 'l' -> LIST;
                case 's' -> SET;
                case 'h' -> HASH;
                case 'z' -> ZSET;
                case 'x' -> EXPIRED;
                case 'e' -> EVICTED;
                case 'K' -> KEYSPACE;
                case 'E' -> KEYEVENT;
                case 't' -> STREAM;
                case 'm' -> KEY_MISS;
                case 'd' -> MODULE;
                case 'n' -> NEW;
                default -> throw new ConfigException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
            };
        }
        return flags;
    }

    public static String format(int flags) {
        StringBuilder sb = new StringBuilder();
        if ((flags & ALL) == ALL) {
            sb.append('A');
        } else {
            append(sb, flags, GENERIC, 'g');
            append(sb, flags, STRING, '$');
            append(sb, flags, LIST, 'l');
            append(sb, flags, SET, 's');
            append(sb, flags, HASH, 'h');
            append(sb, flags, ZSET, 'z');
            append(sb, flags, EXPIRED, 'x');
            append(sb, flags, EVICTED, 'e');
            append(sb, flags, STREAM, 't');
            append(sb, flags, MODULE, 'd');
        }
        append(sb, flags, NEW, 'n');
        append(sb, flags, KEYSPACE, 'K');
        append(sb, flags, KEYEVENT, 'E');
        append(sb, flags, KEY_MISS, 'm');
        return sb.toString();
    }

    static String normalize(String s) throws ConfigException {
        return format(parse(s));
    }

    private static void append(StringBuilder sb, int flags, int flag, char c) {
        if ((flags & flag) != 0) {
            sb.append(c);
        }
    }
}
