package io.rookery.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated frames: the decoder either yields requests, waits for more input, or raises a
 * ProtocolException; nothing else escapes, it never loops without consuming, and after an error the
 * caller stops (as the server closes the connection), so nothing leaks past it.
 */
class RequestDecoderFuzzTest {
    private static final String[] SEEDS = {
        "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n",
        "*1\r\n$4\r\nPING\r\n",
        "set k \"v\\x00\" 'q'\r\n",
        "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
    };

    @Test
    void mutatedFramesNeverEscapeAsAnythingButProtocolErrors() {
        Random rnd = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            byte[] frame = mutate(SEEDS[rnd.nextInt(SEEDS.length)].getBytes(StandardCharsets.ISO_8859_1), rnd);
            run(frame, rnd);
        }
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButProtocolErrors() {
        Random rnd = new Random(7);
        for (int round = 0; round < 20_000; round++) {
            byte[] frame = new byte[rnd.nextInt(64)];
            rnd.nextBytes(frame);
            if (rnd.nextBoolean() && frame.length > 0) {
                frame[0] = (byte) "*$+-:\r\n"
                        .charAt(rnd.nextInt(7));
            }
            run(frame, rnd);
        }
    }

    private static void run(byte[] frame, Random rnd) {
        ProtocolLimits limits = ProtocolLimits.defaults().withMaxBulkLength(1 << 20);
        RequestDecoder d = new RequestDecoder(limits);
        d.authenticated(rnd.nextBoolean());
        ByteBuf buf = Unpooled.buffer();
        int pos = 0;
        try {
            while (pos < frame.length) {
                int chunk = 1 + rnd.nextInt(frame.length - pos);
                buf.writeBytes(frame, pos, chunk);
                pos += chunk;
                int guard = 0;
                while (true) {
                    int before = buf.readerIndex();
                    byte[][] req = d.decode(buf);
                    if (req == null) {
                        break;
                    }
                    assertThat(buf.readerIndex()).as("a request consumes input").isGreaterThan(before);
                    for (byte[] arg : req) {
                        assertThat(arg).isNotNull();
                    }
                    assertThat(++guard).isLessThan(10_000);
                }
            }
        } catch (ProtocolException e) {
            assertThat(e.getMessage()).startsWith("Protocol error: ");
        } finally {
            buf.release();
        }
    }

    private static byte[] mutate(byte[] seed, Random rnd) {
        byte[] out = seed.clone();
        int edits = 1 + rnd.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int p = rnd.nextInt(out.length);
            switch (rnd.nextInt(4)) {
                case 0 -> out[p] = (byte) rnd.nextInt(256);
                case 1 -> out[p] = (byte) "0123456789-*$\r\n\"'\\".charAt(rnd.nextInt(18));
                case 2 -> out = java.util.Arrays.copyOf(out, p + 1);
                default -> {
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, p);
                    longer[p] = (byte) '9';
                    System.arraycopy(out, p, longer, p + 1, out.length - p);
                    out = longer;
                }
            }
        }
        return out;
    }
}
