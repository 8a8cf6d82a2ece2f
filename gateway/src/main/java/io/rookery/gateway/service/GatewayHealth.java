package io.rookery.gateway.service;

import io.rookery.gateway.Gateway;
import io.rookery.gateway.SlotMap;
import io.rookery.protocol.cluster.SlotHash;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Up while every slot has a primary to go to; down when any slot is unserved (or no map was learnt yet). */
@Component("gatewayHealthIndicator")
class GatewayHealth implements HealthIndicator {
    private final Gateway gateway;

    GatewayHealth(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public Health health() {
        SlotMap map = gateway.topology().current();
        Health.Builder b = map.servedSlots() == SlotHash.SLOT_COUNT ? Health.up() : Health.down();
        return b.withDetail("backendKind", gateway.topology().kind())
                .withDetail("slotsServed", map.servedSlots())
                .withDetail("slotMapVersion", map.version())
                .withDetail("primaries", map.primaries())
                .build();
    }
}
