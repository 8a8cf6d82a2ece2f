package io.rookery.node.rdb;

/** Input that is not valid RDB (truncated, corrupt, or using an unknown type). */
public final class RdbFormatException extends Exception {
    public RdbFormatException(String message) {
        super(message);
    }
}
