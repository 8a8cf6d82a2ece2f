package io.rookery.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.NodeProcess;
import io.rookery.node.support.RawConnection;
import io.rookery.protocol.RespValue;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A 200 MB value over a raw socket, to a node in a child JVM whose direct (I/O) memory is capped
 * below twice the value: the node reads the bulk into the value as it arrives instead of gathering
 * it in its input buffer, serves other clients while the value is still coming, and gives back the
 * same bytes.
 */
class BigValueIT {
    private static final int SIZE = 200 * 1024 * 1024;
    private static final int CHUNK = 1 << 20;

    /** The value's bytes, chunk by chunk: the same pseudo-random chunk with its index stamped in. */
    private static byte[] chunk(byte[] base, int index) {
        byte[] c = base.clone();
        c[0] = (byte) index;
        c[1] = (byte) (index >> 8);
        return c;
    }

    @Test
    void aBigValueIsReadAsItArrivesWhileOtherClientsAreServedAndComesBackEqual() throws Exception {
        byte[] base = new byte[CHUNK];
        new Random(42).nextBytes(base);
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        try (NodeProcess node = NodeProcess.start(List.of("-Xmx768m", "-XX:MaxDirectMemorySize=300m"));
             Socket big = new Socket("127.0.0.1", node.port());
             RawConnection other = new RawConnection(node.port())) {
            big.setSoTimeout(60_000);
            OutputStream out = big.getOutputStream();
            out.write(("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$" + SIZE + "\r\n").getBytes(StandardCharsets.US_ASCII));
            int chunks = SIZE / CHUNK;
            for (int i = 0; i < chunks; i++) {
                byte[] c = chunk(base, i);
                out.write(c);
                sent.update(c);
                if (i == chunks / 2) {
                    out.flush();
                    assertThat(other.call("PING")).as("another client's PING while the value is half sent")
                            .isEqualTo(new RespValue.SimpleString("PONG"));
                    assertThat(other.call("EXISTS", "big")).isEqualTo(new RespValue.Integer(0));
                }
            }
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(big.getInputStream(), 1 << 16);
            assertThat(line(in)).isEqualTo("+OK");
            assertThat(other.call("STRLEN", "big")).isEqualTo(new RespValue.Integer(SIZE));

            out.write("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(line(in)).isEqualTo("$" + SIZE);
            MessageDigest got = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (long left = SIZE; left > 0; ) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                assertThat(n).as("bytes of the GET reply").isPositive();
                got.update(buf, 0, n);
                left -= n;
            }
            assertThat(line(in)).isEmpty();
            assertThat(got.digest()).as("SHA-256 of the value read back").isEqualTo(sent.digest());
            assertThat(other.call("PING")).isEqualTo(new RespValue.SimpleString("PONG"));
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed after: " + sb);
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }
}
