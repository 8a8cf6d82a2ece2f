package io.rookery.protocol.tracking;

import io.rookery.protocol.Numbers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * The options of {@code CLIENT TRACKING <ON | OFF> [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]]
 * [BCAST] [OPTIN] [OPTOUT] [NOLOOP]}, parsed as redis-server 7.0 parses them (networking.c).
 *
 * @param on       ON (true) or OFF
 * @param redirect the client id invalidations go to, 0 for the connection itself
 * @param prefixes the PREFIX arguments in the order given (arrays: compare them by content)
 */
public record TrackingArgs(boolean on, long redirect, boolean bcast, boolean optin, boolean optout, boolean noloop,
                           List<byte[]> prefixes) {
    public TrackingArgs {
        prefixes = List.copyOf(prefixes);
    }

    /**
     * Parses a whole CLIENT TRACKING command line ({@code argv[0]} is CLIENT, {@code argv[2]} ON or OFF)
     * in Redis's order: the options left to right first, each refused where it stands, then the ON/OFF
     * word. So REDIRECT's id must be an integer and name a connected client ({@code clientExists}) before
     * a later option's syntax error counts, and an unknown option counts before a bad ON/OFF word.
     * Keywords are case-insensitive; an option that needs a value and has none is a syntax error.
     *
     * @throws TrackingCommandError with Redis's error text
     */
    public static TrackingArgs parse(byte[][] argv, LongPredicate clientExists) {
        long redirect = 0;
        boolean bcast = false;
        boolean optin = false;
        boolean optout = false;
        boolean noloop = false;
        List<byte[]> prefixes = new ArrayList<>();
        for (int i = 3; i < argv.length; i++) {
            boolean more = i + 1 < argv.length;
            if (is(argv[i], "redirect") && more) {
                i++;
                if (redirect != 0) {
                    throw new TrackingCommandError("ERR A client can only redirect to a single other client");
                }
                if (!Numbers.isLong(argv[i])) {
                    throw new TrackingCommandError("ERR value is not an integer or out of range");
                }
                redirect = Numbers.parseLong(argv[i]);
                if (!clientExists.test(redirect)) {
                    throw new TrackingCommandError("ERR The client ID you want redirect to does not exist");
                }
            } else if (is(argv[i], "bcast")) {
                bcast = true;
            } else if (is(argv[i], "optin")) {
                optin = true;
            } else if (is(argv[i], "optout")) {
                optout = true;
            } else if (is(argv[i], "noloop")) {
                noloop = true;
            } else if (is(argv[i], "prefix") && more) {
                prefixes.add(argv[++i]);
            } else {
                throw new TrackingCommandError("ERR syntax error");
            }
        }
        boolean on = is(argv[2], "on");
        if (!on && !is(argv[2], "off")) {
            throw new TrackingCommandError("ERR syntax error");
        }
        return new TrackingArgs(on, redirect, bcast, optin, optout, noloop, prefixes);
    }

    /** Redis's strcasecmp against a keyword (no Latin-1 letter folds onto an ASCII one). */
    static boolean is(byte[] arg, String keyword) {
        return new String(arg, StandardCharsets.ISO_8859_1).equalsIgnoreCase(keyword);
    }
}
