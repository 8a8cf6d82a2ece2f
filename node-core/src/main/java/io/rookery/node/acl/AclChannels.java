package io.rookery.node.acl;

/**
 * The Pub/Sub channels a command names and how ACLs check them (Redis's getChannelsFromCommand):
 * PUBLISH and SPUBLISH publish to their first argument, SUBSCRIBE and SSUBSCRIBE subscribe to every
 * argument, PSUBSCRIBE to patterns that must be allowed literally; the unsubscribe commands are free.
 */
final class AclChannels {
    interface Check {
        boolean allowed(byte[] channel, boolean isPattern);
    }

    private AclChannels() {
    }

    /** The position of the first channel of {@code args} that {@code check} refuses, or -1. */
    static int firstDenied(String command, byte[][] args, Check check) {
        switch (command) {
            case "publish", "spublish" -> {
                return args.length >= 2 && !check.allowed(args[1], false) ? 1 : -1;
            }
            case "subscribe", "ssubscribe", "psubscribe" -> {
                boolean pattern = command.equals("psubscribe");
                for (int i = 1; i < args.length; i++) {
                    if (!check.allowed(args[i], pattern)) {
                        return i;
                    }
                }
                return -1;
            }
            default -> {
                return -1;
            }
        }
    }
}
