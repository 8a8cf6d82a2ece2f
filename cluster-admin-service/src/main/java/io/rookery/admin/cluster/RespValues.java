package io.rookery.admin.cluster;

import io.rookery.protocol.RespValue;
import java.util.ArrayList;
import java.util.List;

/** Reading the reply shapes the cluster commands return, under RESP2 (the admin's connections speak it). */
public final class RespValues {
    private RespValues() {
    }

    public static String text(RespValue v) {
        if (v instanceof RespValue.SimpleString s) {
            return s.value();
        } else if (v instanceof RespValue.BulkString b) {
            return b.text();
        } else if (v instanceof RespValue.Verbatim t) {
            return t.text();
        } else if (v instanceof RespValue.Integer i) {
            return Long.toString(i.value());
        } else if (v instanceof RespValue.Null) {
            return null;
        }
        throw new IllegalArgumentException("expected a string reply, got " + v);
    }

    public static long integer(RespValue v) {
        if (v instanceof RespValue.Integer i) {
            return i.value();
        } else if (v instanceof RespValue.SimpleString s) {
            return Long.parseLong(s.value());
        } else if (v instanceof RespValue.BulkString b) {
            return Long.parseLong(b.text());
        }
        throw new IllegalArgumentException("expected an integer reply, got " + v);
    }

    public static List<RespValue> elements(RespValue v) {
        if (v instanceof RespValue.Array a) {
            return a.elements();
        } else if (v instanceof RespValue.Set s) {
            return s.elements();
        } else if (v instanceof RespValue.Map m) {
            return m.entries();
        } else if (v instanceof RespValue.Null) {
            return List.of();
        }
        throw new IllegalArgumentException("expected an array reply, got " + v);
    }

    public static List<byte[]> bulks(RespValue v) {
        List<byte[]> out = new ArrayList<>();
        for (RespValue e : elements(v)) {
            if (e instanceof RespValue.BulkString b) {
                out.add(b.value());
            }
        }
        return out;
    }
}
