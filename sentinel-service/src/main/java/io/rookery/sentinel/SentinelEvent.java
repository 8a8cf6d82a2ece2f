package io.rookery.sentinel;

/**
 * One sentinel event as published on the sentinel's pub/sub: the channel is the event type
 * ({@code +sdown}, {@code +switch-master}, ...) and the payload Redis Sentinel's text for it.
 *
 * @param type     the event name, also the pub/sub channel
 * @param message  the payload, e.g. "master mymaster 127.0.0.1 6379"
 * @param level    Redis's log level of the event: debug, verbose, notice or warning
 * @param master   the name of the primary it concerns, or null
 * @param atMillis when it happened
 */
public record SentinelEvent(String type, String message, String level, String master, long atMillis) {
}
