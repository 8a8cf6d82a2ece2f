package io.rookery.node.config;

/** A configuration value or directive that cannot be applied; the message is the reason as Redis words it. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
