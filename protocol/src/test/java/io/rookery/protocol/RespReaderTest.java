package io.rookery.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespReaderTest {
    private static final String ALL_TYPES = "+OK\r\n-ERR bad\r\n:42\r\n$5\r\nhello\r\n$-1\r\n*-1\r\n_\r\n,3.5\r\n,inf\r\n"
            + "#t\r\n#f\r\n!5\r\noops!\r\n=8\r\ntxt:some\r\n(123456789012345678901234567890\r\n"
            + "%1\r\n+k\r\n:1\r\n~2\r\n:1\r\n:2\r\n>2\r\n+message\r\n$1\r\nx\r\n*2\r\n*1\r\n:1\r\n$0\r\n\r\n"
            + "|1\r\n+ttl\r\n:3\r\n+v\r\n";

    private static List<RespValue> readAll(ByteBuf in) throws ProtocolException {
        RespReader r = new RespReader();
        List<RespValue> out = new ArrayList<>();
        RespValue v;
        while ((v = r.read(in)) != null) {
            out.add(v);
        }
        return out;
    }

    @Test
    void everyResp3TypeDecodes() throws Exception {
        List<RespValue> values = readAll(Unpooled.copiedBuffer(ALL_TYPES, StandardCharsets.UTF_8));
        assertThat(values).hasSize(19);
        assertThat(values.get(0)).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(values.get(1)).isEqualTo(new RespValue.Error("ERR bad"));
        assertThat(values.get(2)).isEqualTo(new RespValue.Integer(42));
        assertThat(((RespValue.BulkString) values.get(3)).text()).isEqualTo("hello");
        assertThat(values.get(4)).isInstanceOf(RespValue.Null.class);
        assertThat(values.get(5)).isInstanceOf(RespValue.Null.class);
        assertThat(values.get(6)).isInstanceOf(RespValue.Null.class);
        assertThat(values.get(7)).isEqualTo(new RespValue.Double(3.5));
        assertThat(values.get(8)).isEqualTo(new RespValue.Double(Double.POSITIVE_INFINITY));
        assertThat(values.get(9)).isEqualTo(new RespValue.Boolean(true));
        assertThat(values.get(10)).isEqualTo(new RespValue.Boolean(false));
        assertThat(values.get(11)).isEqualTo(new RespValue.BlobError("oops!"));
        assertThat(values.get(12)).isEqualTo(new RespValue.Verbatim("txt", "some"));
        assertThat(values.get(13)).isEqualTo(new RespValue.BigNumber("123456789012345678901234567890"));
        assertThat(values.get(14)).isInstanceOf(RespValue.Map.class);
        assertThat(((RespValue.Set) values.get(15)).elements()).hasSize(2);
        assertThat(((RespValue.Push) values.get(16)).elements()).hasSize(2);
        assertThat(((RespValue.Array) values.get(17)).elements()).hasSize(2);
        assertThat(values.get(18)).isInstanceOf(RespValue.Attribute.class);
    }

    @Test
    void inputCutAtEveryByteReadsTheSame() throws Exception {
        byte[] bytes = ALL_TYPES.getBytes(StandardCharsets.UTF_8);
        String whole = readAll(Unpooled.wrappedBuffer(bytes)).toString();
        for (int cut = 0; cut <= bytes.length; cut++) {
            ByteBuf buf = Unpooled.buffer();
            buf.writeBytes(bytes, 0, cut);
            List<RespValue> got = new ArrayList<>(readAll(buf));
            buf.writeBytes(bytes, cut, bytes.length - cut);
            got.addAll(readAll(buf));
            assertThat(got.toString()).as("cut at %d", cut).isEqualTo(whole);
        }
    }

    @Test
    void malformedRepliesAreProtocolErrors() {
        assertThatThrownBy(() -> new RespReader().read(Unpooled.copiedBuffer("?x\r\n", StandardCharsets.UTF_8)))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> new RespReader().read(Unpooled.copiedBuffer(":abc\r\n", StandardCharsets.UTF_8)))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> new RespReader().read(Unpooled.copiedBuffer("#x\r\n", StandardCharsets.UTF_8)))
                .isInstanceOf(ProtocolException.class);
    }
}
