package io.rookery.sentinel.service;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The sentinel service: a Redis-Sentinel-compatible monitor (RESP on 26379) plus its HTTP side
 * (actuator, REST, event stream, OpenAPI on 8080). Accepts redis-sentinel's start-up arguments too:
 * {@code --config FILE} or a leading {@code sentinel.conf} path; {@code --sentinel} is accepted and
 * ignored.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RookerySentinelApplication {

    public static void main(String[] args) {
        SpringApplication.run(RookerySentinelApplication.class, translate(args));
    }

    static String[] translate(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--config") && i + 1 < args.length) {
                out.add("--rookery.sentinel.config-file=" + args[++i]);
            } else if (a.startsWith("--config=")) {
                out.add("--rookery.sentinel.config-file=" + a.substring("--config=".length()));
            } else if (i == 0 && !a.startsWith("-") && a.endsWith(".conf")) {
                out.add("--rookery.sentinel.config-file=" + a);
            } else if (!a.equals("--sentinel")) {
                out.add(a);
            }
        }
        return out.toArray(String[]::new);
    }
}
