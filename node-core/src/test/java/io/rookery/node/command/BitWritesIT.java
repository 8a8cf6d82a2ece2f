package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.SharedNode;
import io.rookery.protocol.RespValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bit commands: ranges given from the end, and writes that change nothing counting as no write. */
class BitWritesIT {
    @RegisterExtension
    static final SharedNode node = new SharedNode();

    private static long changesSinceSave(RawConnection r) throws Exception {
        String info = new String(((RespValue.BulkString) r.call("INFO", "persistence")).value(), StandardCharsets.US_ASCII);
        for (String line : info.split("\r\n")) {
            if (line.startsWith("rdb_changes_since_last_save:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1));
            }
        }
        throw new AssertionError("no rdb_changes_since_last_save in " + info);
    }

    @Test
    void bitcountWithNegativeStartAfterNegativeEndIsZero() throws Exception {
        try (RawConnection r = new RawConnection(node.port())) {
            r.call("SET", "str", "xxxx");
            assertThat(r.call("BITCOUNT", "str", "-6", "-7")).isEqualTo(new RespValue.Integer(0));
            assertThat(r.call("BITCOUNT", "str", "-6", "-15", "BIT")).isEqualTo(new RespValue.Integer(0));
            assertThat(r.call("BITCOUNT", "str", "-6", "-1")).as("clamped to the whole string").isEqualTo(new RespValue.Integer(16));
        }
    }

    @Test
    void setbitAndBitfieldThatChangeNothingAreNoWrite() throws Exception {
        try (RawConnection r = new RawConnection(node.port())) {
            r.call("DEL", "foo", "foo2");
            long before = changesSinceSave(r);
            r.call("SETBIT", "foo", "0", "0");
            r.call("BITFIELD", "foo2", "SET", "i5", "0", "0");
            assertThat(changesSinceSave(r)).as("creating the keys counts").isEqualTo(before + 2);
            r.call("SETBIT", "foo", "0", "0");
            r.call("BITFIELD", "foo2", "SET", "i5", "0", "0");
            assertThat(changesSinceSave(r)).as("same bits again").isEqualTo(before + 2);
            r.call("SETBIT", "foo", "0", "1");
            r.call("BITFIELD", "foo2", "SET", "i5", "0", "1", "SET", "i5", "0", "1");
            assertThat(changesSinceSave(r)).isEqualTo(before + 4);
        }
    }
}
