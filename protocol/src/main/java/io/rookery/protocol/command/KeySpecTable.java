package io.rookery.protocol.command;

import io.rookery.protocol.Numbers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The key specs of every command, read from {@code key-specs.tsv} (generated from Redis 7.0's own
 * COMMAND INFO by {@code tools/gen-key-specs.py}), and Redis's search over them
 * ({@code getKeysUsingKeySpecs}), which COMMAND GETKEYS and GETKEYSANDFLAGS answer with.
 *
 * <p>File grammar: {@code name TAB spec [| spec ...]}; {@code spec = flags ; begin ; find} with flags a
 * comma list or "-", begin {@code index:N} | {@code keyword:WORD:STARTFROM} | {@code unknown}, find
 * {@code range:LASTKEY:KEYSTEP:LIMIT} | {@code keynum:KEYNUMIDX:FIRSTKEY:KEYSTEP} | {@code unknown};
 * '#' starts a comment. A command without a line has no key specs.
 */
public final class KeySpecTable {
    private static final KeySpecTable STANDARD = load(KeySpecTable.class.getResourceAsStream("/io/rookery/protocol/key-specs.tsv"));

    private final Map<String, List<KeySpec>> byName;

    private KeySpecTable(Map<String, List<KeySpec>> byName) {
        this.byName = byName;
    }

    public static KeySpecTable standard() {
        return STANDARD;
    }

    /** The specs of a command ("get", "memory|usage"), empty when it has none. */
    public List<KeySpec> specs(String name) {
        return byName.getOrDefault(name, List.of());
    }

    static KeySpecTable load(InputStream in) {
        if (in == null) {
            throw new IllegalStateException("key-specs.tsv is missing from the classpath");
        }
        Map<String, List<KeySpec>> out = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t");
                List<KeySpec> specs = new ArrayList<>();
                for (String s : cols[1].split("\\|")) {
                    specs.add(parse(s));
                }
                out.put(cols[0], List.copyOf(specs));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new KeySpecTable(out);
    }

    private static KeySpec parse(String text) {
        String[] parts = text.split(";");
        List<String> flags = parts[0].equals("-") ? List.of() : List.of(parts[0].split(","));
        String[] b = parts[1].split(":");
        String[] f = parts[2].split(":");
        KeySpec.Begin begin = switch (b[0]) {
            case "index" -> KeySpec.Begin.INDEX;
            case "keyword" -> KeySpec.Begin.KEYWORD;
            default -> KeySpec.Begin.UNKNOWN;
        };
        KeySpec.Find find = switch (f[0]) {
            case "range" -> KeySpec.Find.RANGE;
            case "keynum" -> KeySpec.Find.KEYNUM;
            default -> KeySpec.Find.UNKNOWN;
        };
        int index = begin == KeySpec.Begin.INDEX ? Integer.parseInt(b[1]) : 0;
        String keyword = begin == KeySpec.Begin.KEYWORD ? b[1] : null;
        int startFrom = begin == KeySpec.Begin.KEYWORD ? Integer.parseInt(b[2]) : 0;
        int[] n = new int[3];
        if (find != KeySpec.Find.UNKNOWN) {
            for (int i = 0; i < 3; i++) {
                n[i] = Integer.parseInt(f[i + 1]);
            }
        }
        return find == KeySpec.Find.RANGE
                ? new KeySpec(flags, begin, index, keyword, startFrom, find, n[0], n[1], n[2], 0, 0)
                : new KeySpec(flags, begin, index, keyword, startFrom, find, 0, n[2], 0, n[0], n[1]);
    }

    /**
     * The keys of a command line ({@code args[0]} is the command name) found by its specs, in spec
     * order, or null when a spec cannot be followed (an unknown or incomplete spec, a bad key count):
     * Redis then falls back to the command's own key procedure. Specs flagged not_key are skipped.
     */
    public static List<KeySpec.KeyRef> search(List<KeySpec> specs, byte[][] args) {
        int argc = args.length;
        List<KeySpec.KeyRef> out = new ArrayList<>();
        for (KeySpec spec : specs) {
            if (spec.has("not_key")) {
                continue;
            }
            int first = 0;
            if (spec.begin() == KeySpec.Begin.INDEX) {
                first = spec.index();
            } else if (spec.begin() == KeySpec.Begin.KEYWORD) {
                int start = spec.startFrom() > 0 ? spec.startFrom() : argc + spec.startFrom();
                int end = spec.startFrom() > 0 ? argc - 1 : 1;
                for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
                    if (i >= argc || i < 1) {
                        break;
                    }
                    if (new String(args[i], StandardCharsets.ISO_8859_1).equalsIgnoreCase(spec.keyword())) {
                        first = i + 1;
                        break;
                    }
                }
                if (first == 0) {
                    continue;
                }
            } else {
                return null;
            }
            int last;
            int step;
            if (spec.find() == KeySpec.Find.RANGE) {
                step = spec.keyStep();
                if (spec.lastKey() >= 0) {
                    last = first + spec.lastKey();
                } else if (spec.limit() == 0) {
                    last = argc + spec.lastKey();
                } else {
                    last = first + ((argc - first) / spec.limit() + spec.lastKey());
                }
            } else if (spec.find() == KeySpec.Find.KEYNUM) {
                step = spec.keyStep();
                if (spec.keyNumIdx() >= argc || first + spec.keyNumIdx() >= argc) {
                    return null;
                }
                byte[] count = args[first + spec.keyNumIdx()];
                if (!Numbers.isLong(count) || Numbers.parseLong(count) < 0) {
                    return null;
                }
                long numkeys = Numbers.parseLong(count);
                first += spec.firstKey();
                last = (int) (first + numkeys - 1);
            } else {
                return null;
            }
            if (last >= argc || last < first || first >= argc) {
                return null;
            }
            for (int i = first; i <= last; i += step) {
                out.add(new KeySpec.KeyRef(i, spec.flags()));
            }
            if (spec.has("incomplete")) {
                return null;
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "KeySpecTable" + Arrays.toString(byName.keySet().toArray());
    }
}
