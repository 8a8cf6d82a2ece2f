package io.rookery.node.config;

import io.rookery.protocol.RequestDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A redis.conf-style file: one directive per line, arguments split as Redis splits them (quotes and
 * escapes allowed), '#' comments. Directives use Redis's parameter names; the last occurrence wins,
 * except {@code save}, whose lines add up. Unknown directives fail start-up with Redis's text.
 *
 * <p>{@link #rewrite} implements CONFIG REWRITE: lines for known parameters are updated in place,
 * parameters changed from their defaults and not yet present are appended, comments are kept.
 */
public final class ConfigFile {
    private ConfigFile() {
    }

    /**
     * Directives the node itself does not own (a sentinel's {@code sentinel ...} lines), offered before
     * the node's own parameters are looked up.
     */
    public interface ForeignDirectives {
        /** True when taken; throw with the reason to fail the load at this line. */
        boolean accept(String name, List<String> args, int lineNumber, String line) throws ConfigException;
    }

    public static void load(NodeConfig config, Path file) throws ConfigException {
        load(config, file, null);
    }

    public static void load(NodeConfig config, Path file, ForeignDirectives foreign) throws ConfigException {
        StringBuilder[] saveValue = new StringBuilder[1];
        loadFile(config, file, foreign, saveValue);
        if (saveValue[0] != null) {
            config.load("save", saveValue[0].toString());
        }
        config.configFile = file.toAbsolutePath().toString();
    }

    /**
     * Directives Redis 7.0 still reads and ignores (deprecated ziplist sizes, lua-replicate-commands),
     * by name and the number of arguments it accepts them with.
     */
    private static boolean deprecated(String name, int argc) {
        return argc == 1 && (name.equals("list-max-ziplist-entries") || name.equals("list-max-ziplist-value")
                || name.equals("lua-replicate-commands"));
    }

    private static void loadFile(NodeConfig config, Path file, ForeignDirectives foreign, StringBuilder[] saveValue)
            throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("Fatal error, can't open config file '" + file + "': " + e.getMessage());
        }
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<byte[]> args = RequestDecoder.splitArgs(line.getBytes(StandardCharsets.UTF_8));
            if (args == null || args.isEmpty()) {
                throw fatal(n + 1, line, "Unbalanced quotes in configuration line");
            }
            String name = new String(args.get(0), StandardCharsets.UTF_8).toLowerCase();
            List<String> values = new ArrayList<>();
            for (int i = 1; i < args.size(); i++) {
                values.add(new String(args.get(i), StandardCharsets.UTF_8));
            }
            try {
                if (foreign != null && foreign.accept(name, values, n + 1, line)) {
                    continue;
                }
                if (name.equals("save")) {
                    if (saveValue[0] == null) {
                        saveValue[0] = new StringBuilder();
                    }
                    String v = String.join(" ", values);
                    if (v.isEmpty()) {
                        saveValue[0].setLength(0);
                    } else {
                        saveValue[0].append(saveValue[0].length() > 0 ? " " : "").append(v);
                    }
                    continue;
                }
                if (config.parameter(name) == null && deprecated(name, values.size())) {
                    continue;
                }
                if (name.equals("include") && values.size() == 1) {
                    loadFile(config, Path.of(values.get(0)), foreign, saveValue); // relative to the working directory, as Redis
                    continue;
                }
                if (config.parameter(name) == null || values.isEmpty() && !name.equals("requirepass")) {
                    throw new ConfigException("Bad directive or wrong number of arguments");
                }
                config.load(name, String.join(" ", values));
            } catch (ConfigException e) {
                throw fatal(n + 1, line, e.getMessage());
            }
        }
    }

    /** Redis's fatal configuration error text for {@code line}. */
    public static ConfigException fatal(int lineNumber, String line, String reason) {
        return new ConfigException("*** FATAL CONFIG FILE ERROR (Rookery) *** Reading the configuration file, at line "
                + lineNumber + " >>> '" + line + "' " + reason);
    }

    /** Writes the current configuration back into {@code file}, as CONFIG REWRITE. */
    public static void rewrite(NodeConfig config, Path file) throws IOException {
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : new ArrayList<>();
        List<String> out = new ArrayList<>();
        java.util.Set<String> written = new java.util.HashSet<>();
        for (String line : lines) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) {
                out.add(line);
                continue;
            }
            String name = t.split("\\s+", 2)[0].toLowerCase();
            ConfigParameter p = config.parameter(name);
            if (p == null) {
                out.add(line);
            } else if (written.add(name)) {
                out.add(directive(p));
            }
        }
        boolean header = false;
        for (ConfigParameter p : config.parameters()) {
            if (p.aliases().isEmpty() && !written.contains(p.name()) && !p.get().equals(p.defaultValue())) {
                if (!header) {
                    out.add("# Generated by CONFIG REWRITE");
                    header = true;
                }
                out.add(directive(p));
            }
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, out, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String directive(ConfigParameter p) {
        String v = p.get();
        if (p.name().equals("save") && v.isEmpty()) {
            return "save \"\"";
        }
        if (v.isEmpty() || v.contains(" ") && !p.name().equals("save") && !p.name().equals("bind")
                && !p.name().equals("client-output-buffer-limit")) {
            return p.name() + " \"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        return p.name() + " " + v;
    }
}
