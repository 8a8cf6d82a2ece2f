package io.rookery.node.acl;

import io.rookery.node.dispatch.Args;
import io.rookery.protocol.command.CommandFlag;
import io.rookery.protocol.command.CommandSpec;
import io.rookery.protocol.command.KeySpec;
import io.rookery.protocol.command.KeySpecTable;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys of a command line with the access flags of each (Redis's getKeysFromCommandWithSpecs): by
 * the command's key specs when they are complete and their flags fixed, otherwise by the command's own
 * key procedure. ACL checks read the flags (access reads, insert/delete/update write); COMMAND
 * GETKEYSANDFLAGS prints them.
 */
public final class CommandKeys {
    private CommandKeys() {
    }

    /** True when the command can name keys at all (Redis's doesCommandHaveKeys). */
    public static boolean hasKeys(CommandSpec s) {
        return s.has(CommandFlag.MOVABLEKEYS)
                || KeySpecTable.standard().specs(s.name()).stream().anyMatch(k -> !k.has("not_key"));
    }

    /** The keys of {@code full} ({@code full[0]} is the command name), in Redis's order. */
    public static List<KeySpec.KeyRef> of(CommandSpec s, byte[][] full) {
        List<KeySpec> specs = KeySpecTable.standard().specs(s.name());
        boolean hasKeySpec = specs.stream().anyMatch(k -> !k.has("not_key"));
        if (hasKeySpec && specs.stream().noneMatch(k -> k.has("variable_flags"))) {
            List<KeySpec.KeyRef> keys = KeySpecTable.search(specs, full);
            if (keys != null) {
                return keys;
            }
        }
        return byProcedure(s, full);
    }

    /**
     * Redis's per-command key procedures, for commands whose specs cannot be followed or whose flags
     * depend on the arguments: SET (RW with GET, else OW), BITFIELD (RO when it only GETs), SORT (the
     * STORE key is OW), MIGRATE (the KEYS form), EVAL/FCALL (a count of keys); other commands report
     * their key positions without flags.
     */
    public static List<KeySpec.KeyRef> byProcedure(CommandSpec s, byte[][] full) {
        List<KeySpec.KeyRef> out = new ArrayList<>();
        switch (s.name()) {
            case "set" -> {
                boolean get = false;
                for (int i = 3; i < full.length; i++) {
                    get |= Args.is(full[i], "GET");
                }
                out.add(new KeySpec.KeyRef(1, get ? List.of("RW", "access", "update") : List.of("OW", "update")));
            }
            case "bitfield" -> out.add(new KeySpec.KeyRef(1, bitfieldReadOnly(full)
                    ? List.of("RO", "access") : List.of("RW", "access", "update")));
            case "sort", "sort_ro" -> {
                int[] positions = safePositions(s, full);
                for (int i = 0; i < positions.length; i++) {
                    out.add(new KeySpec.KeyRef(positions[i], i == 0 ? List.of("RO", "access") : List.of("OW", "update")));
                }
            }
            case "migrate" -> migrate(full, out);
            case "eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro" -> {
                if (full.length > 2 && io.rookery.protocol.Numbers.isLong(full[2])) {
                    long n = io.rookery.protocol.Numbers.parseLong(full[2]);
                    if (n >= 1 && n <= full.length - 3) {
                        for (int i = 0; i < n; i++) {
                            out.add(new KeySpec.KeyRef(3 + i, List.of()));
                        }
                    }
                }
            }
            default -> {
                for (int p : safePositions(s, full)) {
                    out.add(new KeySpec.KeyRef(p, List.of()));
                }
            }
        }
        return out;
    }

    private static int[] safePositions(CommandSpec s, byte[][] full) {
        try {
            return s.keyPositions(full);
        } catch (RuntimeException e) { // a malformed command line names no keys; the command itself will say why
            return new int[0];
        }
    }

    /** Redis's migrateGetKeys: the key argument, or every argument after KEYS when it is empty. */
    private static void migrate(byte[][] full, List<KeySpec.KeyRef> out) {
        int first = 3;
        int num = 1;
        if (full.length > 6) {
            for (int i = 6; i < full.length; i++) {
                if (Args.is(full[i], "KEYS")) {
                    if (full[3].length > 0) {
                        num = 0;
                    } else {
                        first = i + 1;
                        num = full.length - first;
                    }
                    break;
                }
                if (Args.is(full[i], "AUTH")) {
                    i += 1;
                } else if (Args.is(full[i], "AUTH2")) {
                    i += 2;
                }
            }
        }
        for (int i = 0; i < num && first + i < full.length; i++) {
            out.add(new KeySpec.KeyRef(first + i, List.of("RW", "access", "delete")));
        }
    }

    private static boolean bitfieldReadOnly(byte[][] full) {
        for (int i = 2; i < full.length; i++) {
            int remaining = full.length - i - 1;
            if (Args.is(full[i], "GET") && remaining >= 2) {
                i += 2;
            } else if ((Args.is(full[i], "SET") || Args.is(full[i], "INCRBY")) && remaining >= 3) {
                return false;
            } else if (Args.is(full[i], "OVERFLOW") && remaining >= 1) {
                i += 1;
            } else {
                return false;
            }
        }
        return true;
    }
}
