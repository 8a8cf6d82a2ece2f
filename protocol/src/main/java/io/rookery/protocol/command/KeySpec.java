package io.rookery.protocol.command;

import java.util.List;

/**
 * One key spec of a command as Redis 7.0 declares it: how the command uses the keys it finds
 * ({@code flags}: RO/RW/OW/RM, access/update/insert/delete, not_key, incomplete, variable_flags), where
 * the search starts (an argument index, or after a keyword) and how keys are found from there (a range,
 * or a count argument followed by that many keys).
 *
 * @param flags     Redis's flag names, in its order
 * @param begin     how the search starts
 * @param index     the start index (INDEX)
 * @param keyword   the keyword (KEYWORD), matched case-insensitively
 * @param startFrom where the keyword search starts: positive from the left, negative from the right
 * @param find      how the keys are found
 * @param lastKey   RANGE: the last key relative to the first, or negative from the end
 * @param keyStep   RANGE and KEYNUM: the step between keys
 * @param limit     RANGE: with lastKey -1, keys cover 1/limit of the remaining arguments (0: all)
 * @param keyNumIdx KEYNUM: the count argument, relative to the start
 * @param firstKey  KEYNUM: the first key, relative to the start
 */
public record KeySpec(List<String> flags, Begin begin, int index, String keyword, int startFrom, Find find,
                      int lastKey, int keyStep, int limit, int keyNumIdx, int firstKey) {

    public enum Begin { INDEX, KEYWORD, UNKNOWN }

    public enum Find { RANGE, KEYNUM, UNKNOWN }

    /** A key found in a command line: its argument position and the flags of the spec that found it. */
    public record KeyRef(int position, List<String> flags) {
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }
}
