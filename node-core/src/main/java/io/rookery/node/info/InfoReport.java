package io.rookery.node.info;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * INFO: sections in Redis's order with Redis's field names, so tools that parse INFO keep working.
 * The sections are registered with {@link #section} (the node's {@code NodeInfoSections}, then
 * subsystems such as the sentinel); they render in registration order. "INFO" alone prints the
 * default sections; "all" adds commandstats; "everything" too; names select sections.
 */
public final class InfoReport {
    private static final Set<String> NOT_DEFAULT = Set.of("commandstats", "latencystats");

    private final Map<String, InfoSection> sections = new LinkedHashMap<>();

    /** Adds or replaces a section (later subsystems own persistence, replication, cluster). */
    public void section(String name, InfoSection writer) {
        sections.put(name, writer);
    }

    /** Adds fields at the end of a section (a subsystem's own, e.g. scripting's lines in memory). */
    public void extend(String name, InfoSection more) {
        InfoSection base = sections.get(name);
        sections.put(name, base == null ? more : out -> {
            base.write(out);
            more.write(out);
        });
    }

    public String render(String... requested) {
        List<String> names = new ArrayList<>();
        if (requested.length == 0 || Arrays.asList(requested).contains("default")) {
            sections.keySet().stream().filter(s -> !NOT_DEFAULT.contains(s)).forEach(names::add);
        }
        for (String r : requested) {
            if (r.equals("all") || r.equals("everything")) {
                names = new ArrayList<>(sections.keySet());
                break;
            }
        }
        for (String r : requested) {
            if (sections.containsKey(r) && !names.contains(r)) {
                names.add(r);
            }
        }
        InfoWriter out = new InfoWriter();
        boolean first = true;
        for (String name : sections.keySet()) {
            if (!names.contains(name)) {
                continue;
            }
            if (!first) {
                out.blank();
            }
            first = false;
            out.header(title(name));
            sections.get(name).write(out);
        }
        return out.toString();
    }

    private static String title(String name) {
        return switch (name) {
            case "cpu" -> "CPU";
            case "errorstats" -> "Errorstats";
            case "commandstats" -> "Commandstats";
            default -> name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
        };
    }
}
