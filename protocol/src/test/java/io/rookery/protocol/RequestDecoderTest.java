package io.rookery.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestDecoderTest {

    private static List<List<String>> decodeAll(RequestDecoder d, ByteBuf in) throws ProtocolException {
        List<List<String>> out = new ArrayList<>();
        byte[][] req;
        while ((req = d.decode(in)) != null) {
            if (req.length > 0) {
                out.add(Arrays.stream(req).map(b -> new String(b, StandardCharsets.ISO_8859_1)).toList());
            }
        }
        return out;
    }

    private static List<List<String>> decode(String input) throws ProtocolException {
        return decodeAll(new RequestDecoder(ProtocolLimits.defaults()), Unpooled.copiedBuffer(input, StandardCharsets.ISO_8859_1));
    }

    private static String error(String input) {
        return error(input, true);
    }

    private static String error(String input, boolean authenticated) {
        RequestDecoder d = new RequestDecoder(ProtocolLimits.defaults());
        d.authenticated(authenticated);
        try {
            decodeAll(d, Unpooled.copiedBuffer(input, StandardCharsets.ISO_8859_1));
        } catch (ProtocolException e) {
            return e.getMessage();
        }
        return null;
    }

    @Test
    void multibulkRequestsDecodeToTheirArguments() throws Exception {
        assertThat(decode("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nv\r\nxy\r\n"))
                .containsExactly(List.of("SET", "k", "v\r\nxy"));
    }

    @Test
    void pipelinedRequestsDecodeInOrder() throws Exception {
        assertThat(decode("*1\r\n$4\r\nPING\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"))
                .containsExactly(List.of("PING"), List.of("PING"), List.of("ECHO", ""));
    }

    @Test
    void inputCutAtEveryByteDecodesTheSame() throws Exception {
        String input = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$10\r\n0123456789\r\nset \"a b\" 'c'\r\n*0\r\n*1\r\n$4\r\nPING\r\n";
        List<List<String>> whole = decode(input);
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        for (int cut = 0; cut <= bytes.length; cut++) {
            RequestDecoder d = new RequestDecoder(ProtocolLimits.defaults());
            ByteBuf buf = Unpooled.buffer();
            buf.writeBytes(bytes, 0, cut);
            List<List<String>> got = new ArrayList<>(decodeAll(d, buf));
            buf.writeBytes(bytes, cut, bytes.length - cut);
            got.addAll(decodeAll(d, buf));
            assertThat(got).as("cut at %d", cut).isEqualTo(whole);
        }
    }

    @Test
    void inputFedOneByteAtATimeDecodesTheSame() throws Exception {
        String input = "*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\nget k\n";
        RequestDecoder d = new RequestDecoder(ProtocolLimits.defaults());
        ByteBuf buf = Unpooled.buffer();
        List<List<String>> got = new ArrayList<>();
        for (byte b : input.getBytes(StandardCharsets.ISO_8859_1)) {
            buf.writeByte(b);
            got.addAll(decodeAll(d, buf));
        }
        assertThat(got).containsExactly(List.of("ECHO", "hello"), List.of("get", "k"));
    }

    @Test
    void inlineRequestsSplitLikeRedis() throws Exception {
        assertThat(decode("set  k   \"hello\\x41\\n\" 'it\\'s'\r\n"))
                .containsExactly(List.of("set", "k", "helloA\n", "it's"));
        assertThat(decode("\r\n\n   \r\nping\n")).containsExactly(List.of("ping"));
    }

    @Test
    void countsOfZeroOrLessAreEmptyRequests() throws Exception {
        assertThat(decode("*0\r\n*-1\r\nPING\r\n")).containsExactly(List.of("PING"));
    }

    @Test
    void protocolErrorsCarryRedisTexts() {
        assertThat(error("*abc\r\n")).isEqualTo("Protocol error: invalid multibulk length");
        assertThat(error("*2147483648\r\n")).isEqualTo("Protocol error: invalid multibulk length");
        assertThat(error("*1\r\n$abc\r\n")).isEqualTo("Protocol error: invalid bulk length");
        assertThat(error("*1\r\n$-1\r\n")).isEqualTo("Protocol error: invalid bulk length");
        assertThat(error("*1\r\n$536870913\r\n")).isEqualTo("Protocol error: invalid bulk length");
        assertThat(error("*1\r\nfoo\r\n")).isEqualTo("Protocol error: expected '$', got 'f'");
        assertThat(error("set \"unbalanced\r\n")).isEqualTo("Protocol error: unbalanced quotes in request");
        assertThat(error("set \"a\"b\r\n")).isEqualTo("Protocol error: unbalanced quotes in request");
        assertThat(error("x".repeat(65 * 1024))).isEqualTo("Protocol error: too big inline request");
        assertThat(error("*" + "1".repeat(65 * 1024))).isEqualTo("Protocol error: too big mbulk count string");
        assertThat(error("*1\r\n$" + "1".repeat(65 * 1024))).isEqualTo("Protocol error: too big bulk count string");
    }

    @Test
    void unauthenticatedClientsGetTheSmallerLimits() {
        assertThat(error("*11\r\n", false)).isEqualTo("Protocol error: unauthenticated multibulk length");
        assertThat(error("*1\r\n$16385\r\n", false)).isEqualTo("Protocol error: unauthenticated bulk length");
        assertThat(error("*11\r\n", true)).isNull();
        assertThat(error("*1\r\n$16385\r\n", true)).isNull();
    }

    @Test
    void aHugeCountDoesNotAllocateUpFront() throws Exception {
        RequestDecoder d = new RequestDecoder(ProtocolLimits.defaults());
        ByteBuf buf = Unpooled.copiedBuffer("*2147483647\r\n$1\r\na\r\n", StandardCharsets.ISO_8859_1);
        assertThat(d.decode(buf)).isNull(); // waiting for 2^31-2 more arguments, holding one
    }

    @Test
    void theBulkLimitFollowsProtoMaxBulkLen() {
        RequestDecoder d = new RequestDecoder(ProtocolLimits.defaults().withMaxBulkLength(10));
        assertThatThrownBy(() -> d.decode(Unpooled.copiedBuffer("*1\r\n$11\r\n", StandardCharsets.ISO_8859_1)))
                .hasMessage("Protocol error: invalid bulk length");
    }

    @Test
    void aBigBulkIsTakenOutOfTheInputAsItArrivesSoTheInputNeverHoldsIt() throws Exception {
        byte[] value = new byte[1 << 20];
        new java.util.Random(7).nextBytes(value);
        RequestDecoder d = new RequestDecoder(ProtocolLimits.defaults());
        ByteBuf in = Unpooled.buffer();
        in.writeBytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048576\r\n".getBytes(StandardCharsets.ISO_8859_1));
        byte[][] req = d.decode(in);
        for (int off = 0; off < value.length; off += 64 * 1024) {
            assertThat(req).isNull();
            in.writeBytes(value, off, 64 * 1024);
            req = d.decode(in);
            assertThat(in.readableBytes()).as("input left after a chunk at %d", off).isZero();
            in.discardReadBytes();
        }
        assertThat(req).isNull(); // the CRLF is still to come
        assertThat(d.pendingBulkBytes()).isEqualTo(value.length);
        in.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        req = d.decode(in);
        assertThat(req).hasNumberOfRows(3);
        assertThat(req[2]).isEqualTo(value);
        assertThat(d.refused()).isFalse();
    }

    @Test
    void aBigBulkTheAdmissionRefusesIsDroppedAndTheRequestComesBackRefused() throws Exception {
        RequestDecoder d = new RequestDecoder(ProtocolLimits.defaults());
        List<Long> offered = new ArrayList<>();
        d.admission(length -> {
            offered.add(length);
            return false;
        });
        int big = RequestDecoder.BIG_BULK;
        String input = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + big + "\r\n" + "x".repeat(big) + "\r\n*1\r\n$4\r\nPING\r\n";
        ByteBuf in = Unpooled.copiedBuffer(input, StandardCharsets.ISO_8859_1);
        byte[][] set = d.decode(in);
        assertThat(d.refused()).isTrue();
        assertThat(set).hasNumberOfRows(3);
        assertThat(set[2]).isNull();
        assertThat(offered).containsExactly((long) big); // small bulks are not offered
        byte[][] ping = d.decode(in);
        assertThat(d.refused()).isFalse();
        assertThat(new String(ping[0], StandardCharsets.ISO_8859_1)).isEqualTo("PING");
        assertThat(in.isReadable()).isFalse();
    }

    @Test
    void midRequestTellsWhetherTheNextRequestStartedInAnEarlierBuffer() throws ProtocolException {
        RequestDecoder d = new RequestDecoder(ProtocolLimits.defaults());
        assertThat(d.midRequest()).isFalse();
        assertThat(d.decode(Unpooled.copiedBuffer("*2\r\n$3\r\nGET\r\n$2\r\nk", StandardCharsets.ISO_8859_1))).isNull();
        assertThat(d.midRequest()).isTrue();
        assertThat(d.decode(Unpooled.copiedBuffer("k\r\n", StandardCharsets.ISO_8859_1))).hasNumberOfRows(2);
        assertThat(d.midRequest()).isFalse();
        assertThat(d.decode(Unpooled.copiedBuffer("PING\r\n", StandardCharsets.ISO_8859_1))).hasNumberOfRows(1);
        assertThat(d.midRequest()).isFalse();
    }
}
