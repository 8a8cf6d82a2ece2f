package io.rookery.node.dispatch;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Secrets a command carries, replaced by "(redacted)" wherever the command is shown (MONITOR, the slow
 * log), as Redis's redactClientCommandArgument does: AUTH's arguments, HELLO's AUTH username and
 * password, MIGRATE's AUTH/AUTH2 values, the values of sensitive CONFIG SET parameters (requirepass,
 * masterauth) and ACL SETUSER's rules.
 */
final class ArgumentRedaction {
    private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

    private ArgumentRedaction() {
    }

    /** {@code args} itself when nothing is secret, else a copy with the secrets replaced. */
    static byte[][] redact(String command, byte[][] args) {
        byte[][] out = args;
        switch (command) {
            case "auth" -> {
                for (int i = 1; i < args.length; i++) {
                    out = replace(out, args, i);
                }
            }
            case "hello" -> {
                for (int i = 2; i < args.length; i++) {
                    if (Args.is(args[i], "AUTH") && i + 2 < args.length) {
                        out = replace(out, args, i + 1);
                        out = replace(out, args, i + 2);
                        i += 2;
                    } else if (Args.is(args[i], "SETNAME")) {
                        i++;
                    }
                }
            }
            case "migrate" -> {
                for (int i = 6; i < args.length; i++) {
                    if (Args.is(args[i], "AUTH") && i + 1 < args.length) {
                        out = replace(out, args, ++i);
                    } else if (Args.is(args[i], "AUTH2") && i + 2 < args.length) {
                        out = replace(out, args, ++i);
                        out = replace(out, args, ++i);
                    } else if (Args.is(args[i], "KEYS")) {
                        break;
                    }
                }
            }
            case "config|set" -> {
                for (int i = 2; i + 1 < args.length; i += 2) {
                    String name = new String(args[i], StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
                    if (name.equals("requirepass") || name.equals("masterauth")) {
                        out = replace(out, args, i + 1);
                    }
                }
            }
            case "acl|setuser" -> {
                for (int i = 3; i < args.length; i++) {
                    out = replace(out, args, i);
                }
            }
            default -> {
            }
        }
        return out;
    }

    private static byte[][] replace(byte[][] out, byte[][] original, int index) {
        byte[][] copy = out == original ? original.clone() : out;
        copy[index] = REDACTED;
        return copy;
    }
}
