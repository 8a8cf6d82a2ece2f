package io.rookery.node.config;

import java.util.Locale;

/**
 * Redis 7.0's {@code no|yes|local} switches that guard dangerous actions: {@code enable-protected-configs}
 * (CONFIG SET of dir and dbfilename, which would let a client write files anywhere),
 * {@code enable-debug-command} and {@code enable-module-command}. They are read from the start-up
 * configuration only (immutable at run time, as in Redis); {@code local} allows loopback clients.
 */
public enum ProtectedAction {
    NO, YES, LOCAL;

    public static final String PROTECTED_CONFIGS = "enable-protected-configs";
    public static final String DEBUG_COMMAND = "enable-debug-command";
    public static final String MODULE_COMMAND = "enable-module-command";

    /** The current setting of the switch {@code parameter} (one of the constants above). */
    public static ProtectedAction of(NodeConfig config, String parameter) {
        return valueOf(config.parameter(parameter).get().toUpperCase(Locale.ROOT));
    }

    /** Whether a client is allowed the action, given whether it connected over loopback. */
    public boolean allows(boolean loopbackClient) {
        return this == YES || this == LOCAL && loopbackClient;
    }

    /** Whether CONFIG SET may change {@code parameter} for such a client (dir, dbfilename are protected). */
    public static boolean maySet(NodeConfig config, String parameter, boolean loopbackClient) {
        ConfigParameter p = config.parameter(parameter);
        String name = p.aliases().isEmpty() ? p.name() : p.aliases().get(0);
        boolean isProtected = RedisParameterTable.standard().stream()
                .anyMatch(s -> s.name().equals(name) && s.isProtected());
        return !isProtected || of(config, PROTECTED_CONFIGS).allows(loopbackClient);
    }
}
