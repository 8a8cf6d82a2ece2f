package io.rookery.node.config;

import java.util.List;
import java.util.function.Supplier;

/**
 * One configuration parameter under its Redis name: how to read it for CONFIG GET, how to validate and
 * apply a new value for CONFIG SET and config files, and whether it may change at run time.
 */
public final class ConfigParameter {

    /** Validates and applies a textual value; throws with Redis's reason text when invalid. */
    @FunctionalInterface
    public interface Setter {
        void set(String value) throws ConfigException;
    }

    private final String name;
    private final List<String> aliases;
    private final Supplier<String> getter;
    private final Setter setter;
    private final boolean mutable;
    private final String defaultValue;

    ConfigParameter(String name, List<String> aliases, Supplier<String> getter, Setter setter, boolean mutable) {
        this.name = name;
        this.aliases = aliases;
        this.getter = getter;
        this.setter = setter;
        this.mutable = mutable;
        this.defaultValue = getter.get();
    }

    public String name() {
        return name;
    }

    /** For an alias, the canonical name (one element); empty for a canonical parameter. */
    public List<String> aliases() {
        return aliases;
    }

    public String get() {
        return getter.get();
    }

    public boolean mutable() {
        return mutable;
    }

    public String defaultValue() {
        return defaultValue;
    }

    /** Applies a value at start-up (immutable parameters allowed). */
    public void load(String value) throws ConfigException {
        setter.set(value);
    }

    /** Applies a value at run time, as CONFIG SET. */
    public void set(String value) throws ConfigException {
        if (!mutable) {
            throw new ConfigException("can't set immutable config");
        }
        setter.set(value);
    }
}
