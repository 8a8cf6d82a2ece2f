package io.rookery.gateway.service;

import io.rookery.gateway.Gateway;
import io.rookery.web.EngineLifecycle;
import java.util.List;
import org.springframework.stereotype.Component;

/** Starts the gateway (learning its backend, then listening) with the application and stops it with it. */
@Component
class GatewayLifecycle extends EngineLifecycle {
    private final Gateway gateway;

    GatewayLifecycle(GatewayProperties properties) {
        this.gateway = new Gateway(properties.toConfig());
    }

    Gateway gateway() {
        return gateway;
    }

    @Override
    public List<String> bind() {
        return List.of(gateway.config().bind());
    }

    @Override
    protected void startEngine() throws InterruptedException {
        gateway.start();
    }

    @Override
    protected void stopEngine() {
        gateway.close();
    }
}
