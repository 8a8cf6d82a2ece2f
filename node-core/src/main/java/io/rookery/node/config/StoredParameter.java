package io.rookery.node.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A Redis parameter the node accepts and reports but does not act on (TLS, cluster tuning, defrag,
 * syslog, ...): the value is validated as Redis validates its type, with Redis's error texts, and
 * kept for CONFIG GET and CONFIG REWRITE. README lists these parameters as having no effect.
 */
final class StoredParameter implements ConfigParameter.Setter {
    private final RedisParameterTable.Spec spec;
    private volatile String value;

    StoredParameter(RedisParameterTable.Spec spec) {
        this.spec = spec;
        this.value = spec.defaultValue();
    }

    String get() {
        return value;
    }

    @Override
    public void set(String v) throws ConfigException {
        value = switch (spec.type()) {
            case "bool" -> ConfigValues.yesNo(ConfigValues.bool(v));
            case "int" -> Long.toString(ConfigValues.integer(v, spec.min(), spec.max()));
            case "memory" -> Long.toString(ConfigValues.memory(v, spec.min(), spec.max()));
            case "percent-memory" -> percentOrMemory(v);
            case "octal" -> octal(v);
            case "enum" -> enumeration(v);
            default -> v;
        };
    }

    private String percentOrMemory(String v) throws ConfigException {
        String t = v.trim();
        if (t.length() > 1 && t.endsWith("%")) {
            long pct;
            try {
                pct = Long.parseLong(t.substring(0, t.length() - 1));
            } catch (NumberFormatException e) {
                throw new ConfigException("argument must be a memory or percent value");
            }
            if (pct >= 0) {
                if (-pct < spec.min()) {
                    throw new ConfigException("percentage argument must be less or equal to " + -spec.min());
                }
                return pct + "%";
            }
        }
        long n = ConfigValues.parseMemory(t);
        if (n < 0) {
            throw new ConfigException("argument must be a memory or percent value");
        }
        return Long.toString(ConfigValues.memory(t, 0, spec.max()));
    }

    private String octal(String v) throws ConfigException {
        long n;
        try {
            n = Long.parseLong(v.trim(), 8);
        } catch (NumberFormatException e) {
            throw new ConfigException("argument couldn't be parsed as an octal number");
        }
        if (n < spec.min() || n > spec.max()) {
            throw new ConfigException("argument must be between " + Long.toOctalString(spec.min()) + " and "
                    + Long.toOctalString(spec.max()) + " inclusive");
        }
        return Long.toOctalString(n);
    }

    /** An enum value; a multi-argument enum (shutdown-on-sigterm) takes several, as Redis's bit flags. */
    private String enumeration(String v) throws ConfigException {
        List<String> words = spec.multiArg()
                ? Arrays.stream(v.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList()
                : List.of(v);
        StringBuilder out = new StringBuilder();
        for (String w : words) {
            String lower = w.toLowerCase(Locale.ROOT);
            if (!spec.values().contains(lower)) {
                throw new ConfigException("argument(s) must be one of the following: " + String.join(", ", spec.values()));
            }
            out.append(out.length() > 0 ? " " : "").append(lower);
        }
        if (words.isEmpty()) {
            throw new ConfigException("argument(s) must be one of the following: " + String.join(", ", spec.values()));
        }
        return out.toString();
    }
}
