package io.rookery.node.keyspace;

/**
 * The value types, named as TYPE replies. Strings are stored as plain {@code byte[]}; every other type
 * is an object implementing {@link TypedValue}.
 */
public enum ValueType {
    STRING("string"), LIST("list"), SET("set"), ZSET("zset"), HASH("hash"), STREAM("stream");

    private final String wireName;

    ValueType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static ValueType of(Object value) {
        if (value instanceof byte[]) {
            return STRING;
        }
        return ((TypedValue) value).type();
    }
}
