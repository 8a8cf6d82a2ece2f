package io.rookery.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.protocol.command.CommandTable;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How the router sorts commands: which block, and Redis's text for an unknown command. */
class CommandShapesTest {
    private static final CommandTable TABLE = CommandTable.standard();

    private static byte[][] args(String... parts) {
        byte[][] out = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            out[i] = parts[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    private static boolean blocking(String... parts) {
        byte[][] a = args(parts);
        return CommandRouter.blocking(TABLE.lookup(a[0]), a);
    }

    @Test
    void blockingPopsWaitAndXreadOnlyWithBlock() {
        assertThat(blocking("BLPOP", "q", "0")).isTrue();
        assertThat(blocking("BZPOPMIN", "z", "1")).isTrue();
        assertThat(blocking("BLMOVE", "a", "b", "LEFT", "RIGHT", "0")).isTrue();
        assertThat(blocking("WAIT", "1", "100")).isTrue();
        assertThat(blocking("XREAD", "BLOCK", "0", "STREAMS", "s", "$")).isTrue();
        assertThat(blocking("XREAD", "COUNT", "1", "STREAMS", "s", "0")).isFalse();
        assertThat(blocking("GET", "k")).isFalse();
        assertThat(blocking("LPOP", "q")).isFalse();
    }

    @Test
    void anUnknownCommandIsNamedWithItsFirstArguments() {
        assertThat(CommandRouter.unknownCommand(args("FOO", "a", "b")))
                .isEqualTo("ERR unknown command 'FOO', with args beginning with: 'a' 'b' ");
    }
}
