package io.rookery.protocol.command;

import io.rookery.protocol.Numbers;
import java.util.ArrayList;
import java.util.List;

/**
 * Key positions of commands flagged movablekeys, found by reading their arguments as Redis's
 * getkeys procedures do: a numkeys argument followed by that many keys, optionally after a
 * destination key (ZUNIONSTORE), SORT's and GEORADIUS's key plus its STORE destination, MIGRATE's key
 * or KEYS list, or the first half of what follows XREAD's STREAMS.
 */
final class MovableKeys {
    private MovableKeys() {
    }

    static int[] positions(String name, byte[][] args) {
        return switch (name) {
            case "lmpop", "zmpop", "sintercard", "zintercard", "zunion", "zinter", "zdiff" -> numkeys(args, 1, 2);
            case "blmpop", "bzmpop" -> numkeys(args, 2, 3);
            case "eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro" -> numkeys(args, 2, 3);
            case "zunionstore", "zinterstore", "zdiffstore" -> withDestination(numkeys(args, 2, 3));
            case "sort", "sort_ro" -> sort(args);
            case "georadius", "georadiusbymember" -> geoStore(args);
            case "migrate" -> migrate(args);
            case "xread", "xreadgroup" -> streams(args);
            default -> new int[0];
        };
    }

    private static int[] numkeys(byte[][] args, int numkeysAt, int firstKey) {
        if (args.length <= numkeysAt) {
            return new int[0];
        }
        long n = Numbers.parseLong(args[numkeysAt]);
        if (n <= 0 || firstKey + n > args.length) {
            return new int[0];
        }
        int[] out = new int[(int) n];
        for (int i = 0; i < n; i++) {
            out[i] = firstKey + i;
        }
        return out;
    }

    /** The destination key then the sources; none at all when the key count is invalid (as Redis's procedure). */
    private static int[] withDestination(int[] sources) {
        if (sources.length == 0) {
            return sources;
        }
        int[] out = new int[sources.length + 1];
        out[0] = 1;
        System.arraycopy(sources, 0, out, 1, sources.length);
        return out;
    }

    /** GEORADIUS[BYMEMBER]: the source key, plus the key after the last STORE or STOREDIST option. */
    private static int[] geoStore(byte[][] args) {
        int store = -1;
        for (int i = 5; i < args.length - 1; i++) {
            String a = new String(args[i], java.nio.charset.StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT);
            if (a.equals("STORE") || a.equals("STOREDIST")) {
                store = i + 1;
                i++;
            }
        }
        return store < 0 ? new int[] {1} : new int[] {1, store};
    }

    /** MIGRATE's key (argument 3), or, when that is empty, the keys after KEYS (AUTH's values skipped). */
    private static int[] migrate(byte[][] args) {
        if (args.length > 3 && args[3].length > 0) {
            return new int[] {3};
        }
        for (int i = 6; i < args.length; i++) {
            String a = new String(args[i], java.nio.charset.StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT);
            switch (a) {
                case "AUTH" -> i += 1;
                case "AUTH2" -> i += 2;
                case "KEYS" -> {
                    int[] out = new int[args.length - i - 1];
                    for (int k = 0; k < out.length; k++) {
                        out[k] = i + 1 + k;
                    }
                    return out;
                }
                default -> {
                }
            }
        }
        return new int[0];
    }

    private static int[] sort(byte[][] args) {
        List<Integer> keys = new ArrayList<>(List.of(1));
        int store = -1; // several STOREs: the last one is the destination, as Redis's sortGetKeys
        for (int i = 2; i < args.length; i++) {
            String a = new String(args[i], java.nio.charset.StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT);
            switch (a) {
                case "LIMIT" -> i += 2;
                case "GET", "BY" -> i += 1;
                case "STORE" -> {
                    if (i + 1 < args.length) {
                        store = i + 1;
                    }
                    i += 1;
                }
                default -> {
                }
            }
        }
        if (store > 0) {
            keys.add(store);
        }
        return keys.stream().mapToInt(Integer::intValue).toArray();
    }

    /** XREAD/XREADGROUP: the keys are the first half of the arguments after the first STREAMS. */
    private static int[] streams(byte[][] args) {
        for (int i = 1; i < args.length; i++) {
            if (new String(args[i], java.nio.charset.StandardCharsets.US_ASCII).equalsIgnoreCase("STREAMS")) {
                int rest = args.length - i - 1;
                if (rest == 0 || rest % 2 != 0) {
                    return new int[0];
                }
                int[] out = new int[rest / 2];
                for (int k = 0; k < out.length; k++) {
                    out[k] = i + 1 + k;
                }
                return out;
            }
        }
        return new int[0];
    }
}
