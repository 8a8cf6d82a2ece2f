package io.rookery.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.reactive.ConfigurableReactiveWebServerFactory;
import org.springframework.core.env.Environment;

/**
 * The HTTP side listens where the service's RESP side listens: on the first non-optional address of
 * the engine's {@code bind} (Redis syntax: {@code -} marks an optional address; when all are optional,
 * the first). {@code *} means every interface, {@code ::*} every IPv6 one. An explicit
 * {@code server.address} wins. A service without an engine keeps Spring's default.
 *
 * <p>The address is taken when the web server is created; a later {@code CONFIG SET bind} moves RESP
 * only.
 */
public final class HttpBinding implements WebServerFactoryCustomizer<ConfigurableReactiveWebServerFactory> {
    private final Environment environment;
    private final ObjectProvider<EngineLifecycle> engine;

    public HttpBinding(Environment environment, ObjectProvider<EngineLifecycle> engine) {
        this.environment = environment;
        this.engine = engine;
    }

    @Override
    public void customize(ConfigurableReactiveWebServerFactory factory) {
        if (environment.containsProperty("server.address")) {
            return;
        }
        EngineLifecycle e = engine.getIfUnique();
        if (e == null) {
            return;
        }
        httpAddress(e.bind()).ifPresent(address -> {
            try {
                factory.setAddress(InetAddress.getByName(address));
            } catch (UnknownHostException ex) {
                throw new IllegalStateException("bind address " + address + " can't be resolved for the HTTP side", ex);
            }
        });
    }

    /** The address to listen on for a RESP {@code bind} list; empty for every interface. */
    static Optional<String> httpAddress(List<String> bind) {
        String chosen = bind.stream().filter(a -> !a.startsWith("-")).findFirst()
                .orElse(bind.isEmpty() ? "*" : bind.get(0).substring(1));
        return switch (chosen) {
            case "*", "0.0.0.0" -> Optional.empty();
            case "::*" -> Optional.of("::");
            default -> Optional.of(chosen);
        };
    }
}
