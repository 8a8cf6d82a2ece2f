package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.SharedNode;
import io.rookery.protocol.RespValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Arguments at the edges of what a command accepts answer Redis's error texts, and change nothing. */
class ArgumentLimitsIT {
    @RegisterExtension
    static final SharedNode node = new SharedNode();

    @Test
    void setrangeWithAHugeOffsetIsRefusedWithoutCreatingTheKey() throws Exception {
        try (RawConnection r = new RawConnection(node.port())) {
            r.call("DEL", "K");
            RespValue tooLong = new RespValue.Error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
            assertThat(r.call("SETRANGE", "K", "9223372036854775807", "A")).isEqualTo(tooLong);
            assertThat(r.call("SETRANGE", "K", "2147483647", "A")).isEqualTo(tooLong);
            r.call("SET", "K", "abc");
            assertThat(r.call("SETRANGE", "K", "9223372036854775807", "A")).isEqualTo(tooLong);
            assertThat(r.call("GET", "K")).isEqualTo(new RespValue.BulkString("abc".getBytes()));
        }
    }

    @Test
    void hincrbyfloatRefusesAnInfiniteIncrementAndANan() throws Exception {
        try (RawConnection r = new RawConnection(node.port())) {
            r.call("DEL", "hfoo");
            assertThat(r.call("HINCRBYFLOAT", "hfoo", "field", "+inf")).isEqualTo(new RespValue.Error("ERR value is NaN or Infinity"));
            assertThat(r.call("HINCRBYFLOAT", "hfoo", "field", "nan")).isEqualTo(new RespValue.Error("ERR value is not a valid float"));
            assertThat(r.call("EXISTS", "hfoo")).isEqualTo(new RespValue.Integer(0));
        }
    }
}
