package io.rookery.sentinel;

/** An instance could not be added (bad port, unresolvable host, duplicate), with Redis Sentinel's message. */
final class InstanceRejected extends Exception {
    InstanceRejected(String message) {
        super(message, null, false, false);
    }
}
