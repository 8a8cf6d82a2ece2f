package io.rookery.sentinel;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The time parameters of the algorithm, in milliseconds, with Redis Sentinel's defaults. SENTINEL
 * DEBUG lists and changes them (tests shorten them; production leaves them alone).
 */
final class SentinelTimings {
    long infoPeriod = 10_000;
    long pingPeriod = 1_000;
    long askPeriod = 1_000;
    long publishPeriod = 2_000;
    long defaultDownAfter = 30_000;
    long defaultFailoverTimeout = 180_000;
    long tiltTrigger = 2_000;
    long tiltPeriod = 30_000;
    long replicaReconfTimeout = 10_000;
    long minLinkReconnectPeriod = 15_000;
    long electionTimeout = 10_000;
    long scriptMaxRuntime = 60_000;
    long scriptRetryDelay = 30_000;

    /** A parameter by its SENTINEL DEBUG name. */
    record Parameter(LongSupplier get, LongConsumer set) {
    }

    /** The parameters in SENTINEL DEBUG's order, under its (upper-case) names. */
    Map<String, Parameter> parameters() {
        Map<String, Parameter> p = new LinkedHashMap<>();
        p.put("INFO-PERIOD", new Parameter(() -> infoPeriod, v -> infoPeriod = v));
        p.put("PING-PERIOD", new Parameter(() -> pingPeriod, v -> pingPeriod = v));
        p.put("ASK-PERIOD", new Parameter(() -> askPeriod, v -> askPeriod = v));
        p.put("PUBLISH-PERIOD", new Parameter(() -> publishPeriod, v -> publishPeriod = v));
        p.put("DEFAULT-DOWN-AFTER", new Parameter(() -> defaultDownAfter, v -> defaultDownAfter = v));
        p.put("DEFAULT-FAILOVER-TIMEOUT", new Parameter(() -> defaultFailoverTimeout, v -> defaultFailoverTimeout = v));
        p.put("TILT-TRIGGER", new Parameter(() -> tiltTrigger, v -> tiltTrigger = v));
        p.put("TILT-PERIOD", new Parameter(() -> tiltPeriod, v -> tiltPeriod = v));
        p.put("SLAVE-RECONF-TIMEOUT", new Parameter(() -> replicaReconfTimeout, v -> replicaReconfTimeout = v));
        p.put("MIN-LINK-RECONNECT-PERIOD", new Parameter(() -> minLinkReconnectPeriod, v -> minLinkReconnectPeriod = v));
        p.put("ELECTION-TIMEOUT", new Parameter(() -> electionTimeout, v -> electionTimeout = v));
        p.put("SCRIPT-MAX-RUNTIME", new Parameter(() -> scriptMaxRuntime, v -> scriptMaxRuntime = v));
        p.put("SCRIPT-RETRY-DELAY", new Parameter(() -> scriptRetryDelay, v -> scriptRetryDelay = v));
        return p;
    }

    Parameter parameter(String name) {
        return parameters().get(name.toUpperCase(Locale.ROOT));
    }
}
