package io.rookery.node.config;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code save} parameter: pairs of "after this many seconds, if at least this many changes".
 * An empty value disables snapshots.
 */
public record SaveRules(List<Rule> rules) {

    public record Rule(long seconds, long changes) {
    }

    public static SaveRules parse(String value) throws ConfigException {
        String[] f = value.trim().isEmpty() ? new String[0] : value.trim().split("\\s+");
        if (f.length % 2 != 0) {
            throw new ConfigException("Invalid save parameters");
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < f.length; i += 2) {
            try {
                long s = Long.parseLong(f[i]);
                long c = Long.parseLong(f[i + 1]);
                if (s < 1 || c < 0) {
                    throw new ConfigException("Invalid save parameters");
                }
                rules.add(new Rule(s, c));
            } catch (NumberFormatException e) {
                throw new ConfigException("Invalid save parameters");
            }
        }
        return new SaveRules(List.copyOf(rules));
    }

    @Override
    public String toString() {
        return rules.stream().map(r -> r.seconds + " " + r.changes).collect(Collectors.joining(" "));
    }
}
