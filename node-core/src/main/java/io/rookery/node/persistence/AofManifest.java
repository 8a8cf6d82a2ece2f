package io.rookery.node.persistence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis 7.0's multi-part AOF manifest ({@code <appendfilename>.manifest} in {@code appenddirname}):
 *
 * <pre>
 * manifest = *line
 * line     = "file" SP name SP "seq" SP number SP "type" SP ("b" | "h" | "i") LF
 * </pre>
 * One base file (type b: an RDB, ".base.rdb", or commands, ".base.aof"), then the increment files
 * (type i) in order; history files (type h) are left over from rewrites and ignored.
 */
record AofManifest(String base, long baseSeq, List<String> increments, long lastIncrSeq) {

    static AofManifest read(Path file) throws IOException {
        String base = null;
        long baseSeq = 0;
        List<String> incrs = new ArrayList<>();
        long lastIncr = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split(" ");
            if (f.length != 6 || !f[0].equals("file") || !f[2].equals("seq") || !f[4].equals("type")) {
                throw new IOException("Invalid AOF manifest file format: " + line);
            }
            long seq = Long.parseLong(f[3]);
            switch (f[5]) {
                case "b" -> {
                    base = f[1];
                    baseSeq = seq;
                }
                case "i" -> {
                    incrs.add(f[1]);
                    lastIncr = Math.max(lastIncr, seq);
                }
                case "h" -> {
                }
                default -> throw new IOException("Unknown AOF file type in manifest: " + line);
            }
        }
        return new AofManifest(base, baseSeq, List.copyOf(incrs), lastIncr);
    }

    void write(Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (base != null) {
            sb.append("file ").append(base).append(" seq ").append(baseSeq).append(" type b\n");
        }
        long seq = lastIncrSeq - increments.size() + 1;
        for (String incr : increments) {
            sb.append("file ").append(incr).append(" seq ").append(seq++).append(" type i\n");
        }
        Path tmp = file.resolveSibling("temp-" + file.getFileName());
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
