package io.rookery.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every PromQL expression the project ships: each Grafana dashboard panel's targets (rows' nested panels
 * too), each dashboard's template-variable query, each alert rule. Grafana's variables are replaced the
 * way Grafana would with "All" selected ({@code $instance} → {@code .*}, used in {@code =~} matchers) and
 * its interval macros by {@code 1m}; {@code label_values(expr, label)} becomes {@code expr}.
 */
final class ShippedQueries {
    /** One expression and where it comes from ("rookery-node.json / Ops/s by command"). */
    record Query(String source, String expr) {
        @Override
        public String toString() {
            return source + ": " + expr;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern INTERVAL_MACRO = Pattern.compile("\\$(__rate_interval|__interval|__range)\\b|\\$\\{(__rate_interval|__interval|__range)}");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?[A-Za-z_][A-Za-z0-9_]*}?");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)\\s*$", Pattern.DOTALL);
    private static final Pattern METRIC = Pattern.compile("\\b(rookery_[a-z0-9_]+|up)\\b(?!\\s*\\()");

    private ShippedQueries() {
    }

    /** An expression as Grafana sends it with every variable on "All". */
    static String resolve(String expr) {
        String out = INTERVAL_MACRO.matcher(expr).replaceAll("1m");
        return VARIABLE.matcher(out).replaceAll(".*");
    }

    /** The metric names an expression reads (rookery_* and up), for "each exists" checks. */
    static TreeSet<String> metrics(String expr) {
        TreeSet<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(expr.replaceAll("\"[^\"]*\"", "\"\""));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Every panel target of every dashboard under {@code dir}, resolved. */
    static List<Query> panels(Path dir) throws IOException {
        List<Query> out = new ArrayList<>();
        for (Path file : dashboards(dir)) {
            JsonNode d = JSON.readTree(Files.readString(file));
            collectPanels(file.getFileName().toString(), d.path("panels"), out);
        }
        return out;
    }

    private static void collectPanels(String dashboard, JsonNode panels, List<Query> out) {
        for (JsonNode p : panels) {
            for (JsonNode t : p.path("targets")) {
                String expr = t.path("expr").asString("");
                if (!expr.isBlank()) {
                    out.add(new Query(dashboard + " / " + p.path("title").asString(""), resolve(expr)));
                }
            }
            collectPanels(dashboard, p.path("panels"), out);
        }
    }

    /** Every query-type template variable of every dashboard, {@code label_values(e, l)} as {@code e}. */
    static List<Query> variables(Path dir) throws IOException {
        List<Query> out = new ArrayList<>();
        for (Path file : dashboards(dir)) {
            JsonNode d = JSON.readTree(Files.readString(file));
            for (JsonNode v : d.path("templating").path("list")) {
                if (!"query".equals(v.path("type").asString(""))) {
                    continue;
                }
                JsonNode q = v.path("query");
                String text = q.isObject() ? q.path("query").asString("") : q.asString("");
                Matcher m = LABEL_VALUES.matcher(text);
                out.add(new Query(file.getFileName() + " / $" + v.path("name").asString(""), resolve(m.matches() ? m.group(1) : text)));
            }
        }
        return out;
    }

    /** Every rule's {@code expr} in a Prometheus rules file. */
    @SuppressWarnings("unchecked")
    static List<Query> rules(Path file) throws IOException {
        List<Query> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file)) {
            Map<String, Object> doc = new Yaml().load(r);
            for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    Object name = rule.containsKey("alert") ? rule.get("alert") : rule.get("record");
                    out.add(new Query(file.getFileName() + " / " + name, String.valueOf(rule.get("expr")).trim()));
                }
            }
        }
        return out;
    }

    private static List<Path> dashboards(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }
}
