package io.rookery.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RespWriterTest {

    private static String write(int protocol, Consumer<RespWriter> body) {
        ByteBuf buf = Unpooled.buffer();
        RespWriter w = new RespWriter().target(buf);
        w.protocol(protocol);
        body.accept(w);
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void resp3TypesFallBackUnderResp2AsRedisDoes() {
        Consumer<RespWriter> all = w -> {
            w.map(1);
            w.bulk("k");
            w.dbl(1.5);
            w.set(1);
            w.bool(true);
            w.nullBulk();
            w.nullArray();
            w.verbatim("txt", "hi");
            w.bigNumber("12");
            w.push(0);
        };
        assertThat(write(2, all)).isEqualTo("*2\r\n$1\r\nk\r\n$3\r\n1.5\r\n*1\r\n:1\r\n$-1\r\n*-1\r\n$2\r\nhi\r\n$2\r\n12\r\n*0\r\n");
        assertThat(write(3, all)).isEqualTo("%1\r\n$1\r\nk\r\n,1.5\r\n~1\r\n#t\r\n_\r\n_\r\n=6\r\ntxt:hi\r\n(12\r\n>0\r\n");
    }

    @Test
    void errorsStayOnOneLine() {
        assertThat(write(2, w -> w.error("ERR a\r\nb"))).isEqualTo("-ERR a  b\r\n");
    }

    @Test
    void integersUseTheirDecimalForm() {
        assertThat(write(2, w -> {
            w.integer(0);
            w.integer(-12);
            w.integer(Long.MIN_VALUE);
            w.integer(123456789012L);
        })).isEqualTo(":0\r\n:-12\r\n:-9223372036854775808\r\n:123456789012\r\n");
    }

    @Test
    void writtenRepliesReadBack() throws Exception {
        ByteBuf buf = Unpooled.buffer();
        RespWriter w = new RespWriter().target(buf);
        w.protocol(3);
        w.array(2);
        w.dbl(Double.NEGATIVE_INFINITY);
        w.bulk(new byte[]{0, (byte) 0xff, '\r', '\n'});
        RespValue v = new RespReader().read(buf);
        RespValue.Array a = (RespValue.Array) v;
        assertThat(a.elements().get(0)).isEqualTo(new RespValue.Double(Double.NEGATIVE_INFINITY));
        assertThat(((RespValue.BulkString) a.elements().get(1)).value()).containsExactly(0, 0xff, '\r', '\n');
    }
}
