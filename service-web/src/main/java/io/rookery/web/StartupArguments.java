package io.rookery.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Redis-style start-up arguments for a Spring service: {@code --config FILE}, {@code --config=FILE}
 * or a leading {@code *.conf} path become the service's config-file property; flags Redis takes that
 * mean nothing here are dropped; everything else passes through as Spring arguments.
 *
 * @param configFileProperty the service's config-file property ({@code rookery.node.config-file})
 * @param ignoredFlags       flags accepted and dropped ({@code --sentinel})
 */
public record StartupArguments(String configFileProperty, Set<String> ignoredFlags) {

    public String[] translate(String[] args) {
        List<String> out = new ArrayList<>();
        String prefix = "--" + configFileProperty + "=";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--config") && i + 1 < args.length) {
                out.add(prefix + args[++i]);
            } else if (a.startsWith("--config=")) {
                out.add(prefix + a.substring("--config=".length()));
            } else if (i == 0 && !a.startsWith("-") && a.endsWith(".conf")) {
                out.add(prefix + a);
            } else if (!ignoredFlags.contains(a)) {
                out.add(a);
            }
        }
        return out.toArray(String[]::new);
    }
}
