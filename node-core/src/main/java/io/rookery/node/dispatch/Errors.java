package io.rookery.node.dispatch;

/** Redis 7.0's common error texts, word for word. */
public final class Errors {
    private Errors() {
    }

    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final String SYNTAX = "ERR syntax error";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    /** A count argument (LPOP, SPOP, ZPOPMIN ... count) that is negative or not a number. */
    public static final String POSITIVE_COUNT = "ERR value is out of range, must be positive";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String NOAUTH = "NOAUTH Authentication required.";
    public static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    public static final String DB_INDEX = "ERR DB index is out of range";
    public static final String SAME_OBJECT = "ERR source and destination objects are the same";
    public static final String OVERFLOW = "ERR increment or decrement would overflow";
    public static final String BUSYKEY = "BUSYKEY Target key name already exists.";
    public static final String STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

    public static CommandError wrongType() {
        return new CommandError(WRONGTYPE);
    }

    public static CommandError syntax() {
        return new CommandError(SYNTAX);
    }

    public static String arity(String commandName) {
        return "ERR wrong number of arguments for '" + commandName + "' command";
    }

    public static String invalidExpire(String commandName) {
        return "ERR invalid expire time in '" + commandName + "' command";
    }
}
