package io.rookery.node.scripting;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/** The scripts EVAL and SCRIPT LOAD compiled, by lower-case SHA1 hex; kept until SCRIPT FLUSH. */
final class ScriptCache {
    /**
     * A compiled script: its body, its shebang flags, the registry reference of its function and
     * whether its runs are bounded ({@link BoundedChunk}: they run on the command thread).
     */
    record Script(String sha, byte[] body, ShebangFlags flags, int functionRef, boolean bounded) {
    }

    private final Map<String, Script> bySha = new HashMap<>();

    Script get(String sha) {
        return bySha.get(sha);
    }

    void put(Script s) {
        bySha.put(s.sha(), s);
    }

    Iterable<Script> all() {
        return bySha.values();
    }

    int size() {
        return bySha.size();
    }

    long bodyBytes() {
        long n = 0;
        for (Script s : bySha.values()) {
            n += s.body().length;
        }
        return n;
    }

    void clear() {
        bySha.clear();
    }

    static String sha1hex(byte[] body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(body);
            StringBuilder sb = new StringBuilder(40);
            for (byte b : d) {
                sb.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String lower(byte[] sha) {
        return new String(sha, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
    }
}
