package io.rookery.service;

import io.rookery.web.StartupArguments;
import java.util.Set;
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
        return StartupArguments.translate(args, "rookery.node.config-file", Set.of());
    }
}
