package io.rookery.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rookery.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReplyFramerTest {

    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static final String[] REPLIES = {
            "+OK\r\n", "-ERR boom\r\n", ":42\r\n", "$5\r\nhello\r\n", "$-1\r\n", "*-1\r\n", "_\r\n", ",1.5\r\n",
            "#t\r\n", "(12345678901234567890\r\n", "!3\r\nerr\r\n", "=8\r\ntxt:abcd\r\n",
            "*3\r\n$1\r\na\r\n:1\r\n*1\r\n+x\r\n", "%2\r\n+a\r\n:1\r\n+b\r\n*0\r\n", "~2\r\n+a\r\n+b\r\n",
            ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", "|1\r\n+key\r\n+val\r\n:7\r\n", "$0\r\n\r\n"
    };

    @Test
    void everyReplyTypeIsFramedWhole() throws ProtocolException {
        for (String r : REPLIES) {
            ByteBuf b = buf(r + "+NEXT\r\n");
            assertThat(ReplyFramer.end(b, 0)).as(r).isEqualTo(r.length());
        }
    }

    @Test
    void aReplyCutAtAnyByteIsIncomplete() throws ProtocolException {
        for (String r : REPLIES) {
            for (int cut = 0; cut < r.length(); cut++) {
                assertThat(ReplyFramer.end(buf(r.substring(0, cut)), 0)).as(r + " cut at " + cut).isEqualTo(-1);
            }
        }
    }

    @Test
    void elementsOfAnArrayAreBounded() throws ProtocolException {
        ByteBuf b = buf("*3\r\n$1\r\na\r\n$-1\r\n:5\r\n");
        int[] bounds = ReplyFramer.elements(b, 0);
        assertThat(bounds).containsExactly(4, 11, 16, 20);
        assertThat(ReplyFramer.elements(buf("*-1\r\n"), 0)).isNull();
        assertThat(ReplyFramer.line(buf("-MOVED 1 127.0.0.1:7000\r\n"), 0)).isEqualTo("MOVED 1 127.0.0.1:7000");
    }

    @Test
    void anUnknownTypeByteIsAProtocolError() {
        assertThatThrownBy(() -> ReplyFramer.end(buf("?x\r\n"), 0)).isInstanceOf(ProtocolException.class);
    }
}
