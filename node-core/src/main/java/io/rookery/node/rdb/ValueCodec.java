package io.rookery.node.rdb;

import io.rookery.node.keyspace.ValueType;

/**
 * Serializes one value as an RDB type byte plus its body, and back. Strings are handled here; the
 * collection types register their encodings as they are built.
 */
public final class ValueCodec {
    private ValueCodec() {
    }

    public static void write(RdbOutput out, Object value) {
        if (ValueType.of(value) == ValueType.STRING) {
            out.writeByte(RdbConstants.TYPE_STRING);
            out.writeString((byte[]) value);
            return;
        }
        throw new IllegalArgumentException("cannot serialize " + ValueType.of(value));
    }

    public static Object read(RdbInput in) throws RdbFormatException {
        int type = in.readByte();
        return readBody(type, in);
    }

    public static Object readBody(int type, RdbInput in) throws RdbFormatException {
        if (type == RdbConstants.TYPE_STRING) {
            return in.readString();
        }
        throw new RdbFormatException("unsupported value type " + type);
    }
}
