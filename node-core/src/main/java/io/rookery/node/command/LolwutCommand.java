package io.rookery.node.command;

import io.rookery.node.NodeVersion;
import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandRegistry;
import java.util.Arrays;
import java.util.Random;

/**
 * LOLWUT [VERSION v] [args]: Redis 7.0's answer (lolwut.c's lolwutCommand). Without VERSION, or with
 * a version other than 5 and 6, it is "Redis ver. 7.0.15"; VERSION 5 draws Schotter (columns, squares
 * per row, squares per column; defaults 66, 8, 12), VERSION 6 the skyline (columns, rows; defaults
 * 80, 20), each with Redis's limits and caption.
 */
final class LolwutCommand extends CommandGroup {
    private final Lolwut art = new Lolwut(new Random());

    LolwutCommand(CommandBasics basics) {
        super(basics);
    }

    void register(CommandRegistry r) {
        r.register("lolwut", this::lolwut);
    }

    private void lolwut(Client c, byte[][] a) {
        String version = NodeVersion.REDIS_VERSION;
        byte[][] args = a;
        if (a.length >= 3 && Args.is(a[1], "VERSION")) {
            long v = Args.integer(a[2]);
            version = Integer.toUnsignedString((int) v) + ".0.0"; // Redis prints it as %u
            args = new byte[a.length - 2][];
            args[0] = a[0];
            System.arraycopy(a, 3, args, 1, a.length - 3);
        }
        String text;
        if (version.startsWith("5.") && !version.startsWith("5.9") || version.startsWith("4.9")) {
            text = schotter(args);
        } else if (version.startsWith("6.") && !version.startsWith("6.9") || version.startsWith("5.9")) {
            text = skyline(args);
        } else {
            text = "Redis ver. " + NodeVersion.REDIS_VERSION + "\n";
        }
        c.reply().verbatim("txt", text);
    }

    private String schotter(byte[][] a) {
        long[] v = numbers(a, 66, 8, 12);
        int cols = (int) clamp(v[0], 1, 1000);
        int perRow = (int) clamp(v[1], 1, 200);
        int perCol = (int) clamp(v[2], 1, 200);
        return Lolwut.braille(art.schotter(cols, perRow, perCol))
                + "\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. " + NodeVersion.REDIS_VERSION + "\n";
    }

    private String skyline(byte[][] a) {
        long[] v = numbers(a, 80, 20);
        int cols = (int) clamp(v[0], 1, 1000);
        int rows = (int) clamp(v[1], 1, 1000);
        return Lolwut.ansi(art.skyline(cols, rows))
                + "\nDedicated to the 8 bit game developers of past and present.\n"
                + "Original 8 bit image from Plaguemon by hikikomori. Redis ver. " + NodeVersion.REDIS_VERSION + "\n";
    }

    /** The optional numeric arguments after the command name, with their defaults. */
    private static long[] numbers(byte[][] a, long... defaults) {
        long[] out = Arrays.copyOf(defaults, defaults.length);
        for (int i = 0; i < defaults.length && i + 1 < a.length; i++) {
            out[i] = Args.integer(a[i + 1]);
        }
        return out;
    }

    private static long clamp(long v, long min, long max) {
        return Math.max(min, Math.min(max, v));
    }
}
