package io.rookery.protocol.command;

import java.util.List;
import java.util.Map;

/**
 * One command as data: what the dispatcher checks, what COMMAND reports, what routing reads.
 *
 * @param name        lower-case name; a subcommand is "container|sub" (as Redis 7.0 names them)
 * @param arity       exact argument count including the name when positive, a minimum when negative
 * @param flagBits    {@link CommandFlag} bits
 * @param firstKey    position of the first key, 0 when the command takes no key
 * @param lastKey     position of the last key; negative counts from the end (-1 is the last argument)
 * @param keyStep     distance between keys
 * @param acl         ACL categories without the '@'
 * @param subcommands a container's subcommands by lower-case sub name; empty otherwise
 */
public record CommandSpec(String name, int arity, int flagBits, int firstKey, int lastKey, int keyStep,
                          List<String> acl, String group, String since, String complexity, String summary,
                          Map<String, CommandSpec> subcommands) {

    public boolean has(CommandFlag flag) {
        return (flagBits & flag.bit()) != 0;
    }

    public boolean isWrite() {
        return has(CommandFlag.WRITE);
    }

    public boolean isContainer() {
        return !subcommands.isEmpty();
    }

    /** True when {@code argc} (arguments including the name) fits the arity. */
    public boolean arityAccepts(int argc) {
        return arity > 0 ? argc == arity : argc >= -arity;
    }

    /**
     * The positions of the keys among {@code argc} arguments, from first/last/step; an empty array for
     * keyless commands. A last key beyond the arguments is clipped, as Redis's getKeysUsingLegacyRangeSpec.
     */
    public int[] keyPositions(int argc) {
        if (firstKey <= 0) {
            return NO_KEYS;
        }
        int last = lastKey >= 0 ? lastKey : argc + lastKey;
        last = Math.min(last, argc - 1);
        if (last < firstKey) {
            return NO_KEYS;
        }
        int count = (last - firstKey) / keyStep + 1;
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = firstKey + i * keyStep;
        }
        return out;
    }

    /**
     * The positions of the keys in a full command, including commands whose keys move with their
     * arguments (numkeys, SORT ... STORE).
     */
    public int[] keyPositions(byte[][] args) {
        if (has(CommandFlag.MOVABLEKEYS)) {
            int baseName = name.indexOf('|');
            return MovableKeys.positions(baseName < 0 ? name : name.substring(0, baseName), args);
        }
        return keyPositions(args.length);
    }

    private static final int[] NO_KEYS = new int[0];
}
