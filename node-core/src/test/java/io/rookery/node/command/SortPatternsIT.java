package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.SharedNode;
import io.rookery.protocol.RespValue;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SORT's patterns and keys where Redis's sort.tcl looks closely. */
class SortPatternsIT {
    @RegisterExtension
    static final SharedNode node = new SharedNode();

    private static RespValue bulk(String s) {
        return new RespValue.BulkString(s.getBytes());
    }

    @Test
    void withSeveralStoresOnlyTheLastIsADestinationKey() throws Exception {
        try (RawConnection r = new RawConnection(node.port())) {
            assertThat(r.call("COMMAND", "GETKEYS", "SORT", "abc", "STORE", "invalid", "STORE", "stillbad", "STORE", "def"))
                    .isEqualTo(new RespValue.Array(List.of(bulk("abc"), bulk("def"))));
        }
    }

    @Test
    void aGetPatternEndingInAnArrowNamesAStringKey() throws Exception {
        try (RawConnection r = new RawConnection(node.port())) {
            r.call("DEL", "mylist");
            r.call("LPUSH", "mylist", "a");
            r.call("SET", "x:a->", "100");
            assertThat(r.call("SORT", "mylist", "BY", "num", "GET", "x:*->")).isEqualTo(new RespValue.Array(List.of(bulk("100"))));
        }
    }
}
