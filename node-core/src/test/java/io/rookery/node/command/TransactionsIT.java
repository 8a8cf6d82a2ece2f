package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.SharedNode;
import io.rookery.protocol.RespValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** WATCH across clients, expiry and flushes; runtime errors inside EXEC do not roll back. */
class TransactionsIT {
    @RegisterExtension
    static final SharedNode node = new SharedNode();

    @Test
    void aWriteByAnotherClientAbortsExec() throws Exception {
        try (RawConnection a = new RawConnection(node.port()); RawConnection b = new RawConnection(node.port())) {
            a.call("SET", "balance", "10");
            a.call("WATCH", "balance");
            b.call("INCRBY", "balance", "5");
            a.call("MULTI");
            a.call("DECRBY", "balance", "1");
            assertThat(a.call("EXEC")).isInstanceOf(RespValue.Null.class);
            assertThat(a.call("GET", "balance")).isEqualTo(new RespValue.BulkString("15".getBytes()));
            a.call("WATCH", "balance");
            a.call("MULTI");
            a.call("DECRBY", "balance", "1");
            assertThat(a.call("EXEC")).isEqualTo(new RespValue.Array(java.util.List.of(new RespValue.Integer(14))));
        }
    }

    @Test
    void expiryAndFlushFireWatches() throws Exception {
        try (RawConnection a = new RawConnection(node.port())) {
            a.call("SET", "short", "v", "PX", "100");
            a.call("WATCH", "short");
            Thread.sleep(200);
            a.call("MULTI");
            a.call("PING");
            assertThat(a.call("EXEC")).as("the watched key expired").isInstanceOf(RespValue.Null.class);

            a.call("SET", "w", "v");
            a.call("WATCH", "w");
            try (RawConnection b = new RawConnection(node.port())) {
                b.call("FLUSHDB");
            }
            a.call("MULTI");
            a.call("PING");
            assertThat(a.call("EXEC")).isInstanceOf(RespValue.Null.class);
        }
    }

    @Test
    void runtimeErrorsDoNotRollBack() throws Exception {
        try (RawConnection a = new RawConnection(node.port())) {
            a.call("DEL", "s", "n");
            a.call("SET", "s", "text");
            a.call("MULTI");
            a.call("INCR", "s");
            a.call("INCR", "n");
            RespValue exec = a.call("EXEC");
            assertThat(((RespValue.Array) exec).elements()).containsExactly(
                    new RespValue.Error("ERR value is not an integer or out of range"), new RespValue.Integer(1));
            assertThat(a.call("GET", "n")).isEqualTo(new RespValue.BulkString("1".getBytes()));
        }
    }
}
