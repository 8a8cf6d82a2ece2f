package io.rookery.node.scripting;

import io.rookery.protocol.command.CommandFlag;
import io.rookery.protocol.command.CommandSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The flags the gate sees for EVAL, EVALSHA, their _RO forms and FCALL(_RO) (Redis's
 * evalGetCommandFlags, fcallGetCommandFlags and scriptFlagsToCmdFlags). A script that declares
 * flags replaces the command's write, denyoom and stale flags with its own: without
 * {@code no-writes} it is a write (READONLY on a replica, MISCONF, NOREPLICAS apply), without
 * {@code allow-oom} or {@code no-writes} it is denied over maxmemory, with {@code allow-stale} it
 * runs on a stale replica. Scripts without a shebang, unknown SHAs and unknown functions keep the
 * command's own flags (the script's checks at run time decide).
 */
final class ScriptCommandFlags {
    private static final int CLEARED = CommandFlag.STALE.bit() | CommandFlag.DENYOOM.bit() | CommandFlag.WRITE.bit()
            | CommandFlag.MAY_REPLICATE.bit();

    private final Function<byte[][], ShebangFlags> evalFlags;
    private final Function<byte[][], ShebangFlags> evalshaFlags;
    private final Function<byte[][], ShebangFlags> fcallFlags;
    /** Derived specs by command and resulting flag bits: a handful per command. */
    private final Map<CommandSpec, Map<Integer, CommandSpec>> derived = new HashMap<>();

    ScriptCommandFlags(Function<byte[][], ShebangFlags> evalFlags, Function<byte[][], ShebangFlags> evalshaFlags,
                       Function<byte[][], ShebangFlags> fcallFlags) {
        this.evalFlags = evalFlags;
        this.evalshaFlags = evalshaFlags;
        this.fcallFlags = fcallFlags;
    }

    CommandSpec apply(CommandSpec spec, byte[][] args) {
        if (args.length < 2) {
            return spec;
        }
        ShebangFlags flags = switch (spec.name()) {
            case "eval", "eval_ro" -> evalFlags.apply(args);
            case "evalsha", "evalsha_ro" -> evalshaFlags.apply(args);
            case "fcall", "fcall_ro" -> fcallFlags.apply(args);
            default -> null;
        };
        if (flags == null || flags.compat()) {
            return spec;
        }
        int bits = spec.flagBits() & ~CLEARED;
        if (!flags.allowOom() && !flags.noWrites()) {
            bits |= CommandFlag.DENYOOM.bit();
        }
        if (!flags.noWrites()) {
            bits |= CommandFlag.WRITE.bit();
        }
        if (flags.allowStale()) {
            bits |= CommandFlag.STALE.bit();
        }
        int resulting = bits;
        return derived.computeIfAbsent(spec, s -> new HashMap<>()).computeIfAbsent(resulting, b -> new CommandSpec(
                spec.name(), spec.arity(), b, spec.firstKey(), spec.lastKey(), spec.keyStep(), spec.acl(), spec.group(),
                spec.since(), spec.complexity(), spec.summary(), spec.subcommands()));
    }
}
