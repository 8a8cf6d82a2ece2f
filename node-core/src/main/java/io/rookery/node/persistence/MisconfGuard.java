package io.rookery.node.persistence;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.CommandGuard;
import io.rookery.protocol.command.CommandSpec;

/**
 * With {@code stop-writes-on-bgsave-error yes}, save points set and the last background save failed,
 * write commands (and PING, as Redis does) are refused with the MISCONF error until a save succeeds.
 */
public final class MisconfGuard implements CommandGuard {
    public static final String MISCONF = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to "
            + "persist to disk. Commands that may modify the data set are disabled, because this instance is configured "
            + "to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please "
            + "check the Redis logs for details about the RDB error.";

    private final Persistence persistence;

    public MisconfGuard(Persistence persistence) {
        this.persistence = persistence;
    }

    @Override
    public String check(Client client, CommandSpec spec, byte[][] args) {
        if (!spec.isWrite() && !spec.name().equals("ping")) {
            return null;
        }
        if (persistence.refusesWrites()) {
            return MISCONF;
        }
        String aofError = persistence.aofWriteError();
        return aofError == null ? null : "MISCONF Errors writing to the AOF file: " + aofError;
    }
}
