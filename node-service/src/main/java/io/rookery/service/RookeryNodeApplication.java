package io.rookery.service;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The data node service: a Rookery node (RESP on 6379) plus its HTTP side (actuator, REST, OpenAPI on
 * 8080). Accepts Redis-style start-up arguments too: {@code --config FILE} or a leading
 * {@code redis.conf} path name the redis.conf-style file.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RookeryNodeApplication {

    public static void main(String[] args) {
        SpringApplication.run(RookeryNodeApplication.class, translate(args));
    }

    /** Maps Redis-style arguments onto Spring properties; other arguments pass through. */
    static String[] translate(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--config") && i + 1 < args.length) {
                out.add("--rookery.node.config-file=" + args[++i]);
            } else if (a.startsWith("--config=")) {
                out.add("--rookery.node.config-file=" + a.substring("--config=".length()));
            } else if (i == 0 && !a.startsWith("-") && a.endsWith(".conf")) {
                out.add("--rookery.node.config-file=" + a);
            } else {
                out.add(a);
            }
        }
        return out.toArray(String[]::new);
    }
}
