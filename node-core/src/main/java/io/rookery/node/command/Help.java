package io.rookery.node.command;

import io.rookery.protocol.RespWriter;

/** The HELP reply of container commands, in Redis's shape: a header line, then one line per entry. */
public final class Help {
    private Help() {
    }

    public static void reply(RespWriter r, String container, String... lines) {
        r.array(lines.length + 1);
        r.simple(container + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String line : lines) {
            r.simple(line);
        }
    }
}
