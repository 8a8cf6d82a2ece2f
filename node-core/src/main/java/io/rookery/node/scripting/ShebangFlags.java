package io.rookery.node.scripting;

import java.nio.charset.StandardCharsets;

/**
 * The flags a script declares in its first line ({@code #!lua flags=no-writes,allow-oom}), as
 * Redis's evalExtractShebangFlags reads them. A script without a shebang runs in compatibility mode
 * (the EVAL rules of Redis 6: writes allowed, no OOM or stale checks by the script).
 *
 * @param compat       no shebang
 * @param shebangLength bytes of the first line (not compiled)
 */
record ShebangFlags(boolean compat, boolean noWrites, boolean allowOom, boolean allowStale, boolean noCluster,
                    boolean allowCrossSlot, int shebangLength) {

    static final ShebangFlags COMPAT = new ShebangFlags(true, false, false, false, false, false, 0);

    /** Parses the shebang of {@code body}; throws {@link IllegalArgumentException} with Redis's text. */
    static ShebangFlags parse(byte[] body) {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') {
            return COMPAT;
        }
        int end = -1;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            throw new IllegalArgumentException("Invalid script shebang");
        }
        java.util.List<byte[]> split = io.rookery.protocol.RequestDecoder.splitArgs(java.util.Arrays.copyOf(body, end));
        if (split == null || split.isEmpty()) {
            throw new IllegalArgumentException("Invalid engine in script shebang");
        }
        String[] parts = split.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toArray(String[]::new);
        if (!parts[0].equals("#!lua")) {
            throw new IllegalArgumentException("Unexpected engine in script shebang: " + parts[0]);
        }
        boolean noWrites = false;
        boolean allowOom = false;
        boolean allowStale = false;
        boolean noCluster = false;
        boolean crossSlot = false;
        for (int j = 1; j < parts.length; j++) {
            if (!parts[j].startsWith("flags=")) {
                throw new IllegalArgumentException("Unknown lua shebang option: " + parts[j]);
            }
            String list = parts[j].substring(6);
            if (list.isEmpty()) {
                continue;
            }
            for (String f : list.split(",", -1)) {
                switch (f) {
                    case "no-writes" -> noWrites = true;
                    case "allow-oom" -> allowOom = true;
                    case "allow-stale" -> allowStale = true;
                    case "no-cluster" -> noCluster = true;
                    case "allow-cross-slot-keys" -> crossSlot = true;
                    default -> throw new IllegalArgumentException("Unexpected flag in script shebang: " + f);
                }
            }
        }
        return new ShebangFlags(false, noWrites, allowOom, allowStale, noCluster, crossSlot, end);
    }
}
