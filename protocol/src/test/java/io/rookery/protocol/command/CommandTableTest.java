package io.rookery.protocol.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CommandTableTest {
    private final CommandTable table = CommandTable.standard();

    @Test
    void everyEntryIsWellFormed() {
        assertThat(table.size()).isGreaterThan(60);
        for (CommandSpec s : table.commands()) {
            assertThat(s.name()).isLowerCase().doesNotContain(" ");
            assertThat(s.arity()).isNotZero();
            assertThat(s.group()).isNotBlank();
            assertThat(s.summary()).isNotBlank();
            if (s.firstKey() > 0) {
                assertThat(s.keyStep()).isPositive();
            }
            for (CommandSpec sub : s.subcommands().values()) {
                assertThat(sub.name()).startsWith(s.name() + "|");
                assertThat(Math.abs(sub.arity())).isGreaterThanOrEqualTo(2);
            }
            assertThat(s.has(CommandFlag.WRITE) && s.has(CommandFlag.READONLY)).as(s.name()).isFalse();
        }
    }

    @Test
    void lookupIgnoresCaseWithoutAllocating() {
        assertThat(table.lookup("GeT".getBytes(StandardCharsets.US_ASCII)).name()).isEqualTo("get");
        assertThat(table.lookup("nosuch".getBytes(StandardCharsets.US_ASCII))).isNull();
        assertThat(table.lookup("client").subcommands()).containsKeys("id", "list", "kill", "setinfo");
    }

    @Test
    void keyPositionsFollowFirstLastStep() {
        assertThat(table.lookup("mset").keyPositions(7)).containsExactly(1, 3, 5);
        assertThat(table.lookup("del").keyPositions(4)).containsExactly(1, 2, 3);
        assertThat(table.lookup("get").keyPositions(2)).containsExactly(1);
        assertThat(table.lookup("ping").keyPositions(1)).isEmpty();
        assertThat(table.lookup("bitop").keyPositions(5)).containsExactly(2, 3, 4);
    }

    @Test
    void migrateKeysAreItsKeyArgumentOrTheKeysAfterKeys() {
        CommandSpec migrate = table.lookup("migrate");
        assertThat(migrate.keyPositions(args("migrate", "h", "1", "k", "0", "5000"))).containsExactly(3);
        assertThat(migrate.keyPositions(args("migrate", "h", "1", "", "0", "5000", "AUTH2", "keys", "pw", "KEYS", "a", "b")))
                .containsExactly(10, 11);
        assertThat(migrate.keyPositions(args("migrate", "h", "1", "", "0", "5000"))).isEmpty();
    }

    private static byte[][] args(String... parts) {
        byte[][] out = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            out[i] = parts[i].getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }

    @Test
    void arityIsExactWhenPositiveAndAMinimumWhenNegative() {
        assertThat(table.lookup("get").arityAccepts(2)).isTrue();
        assertThat(table.lookup("get").arityAccepts(3)).isFalse();
        assertThat(table.lookup("set").arityAccepts(3)).isTrue();
        assertThat(table.lookup("set").arityAccepts(9)).isTrue();
        assertThat(table.lookup("set").arityAccepts(2)).isFalse();
    }

    @Test
    void flagsReadFromTheTable() {
        CommandSpec get = table.lookup("get");
        assertThat(get.has(CommandFlag.READONLY)).isTrue();
        assertThat(get.has(CommandFlag.FAST)).isTrue();
        assertThat(table.lookup("set").isWrite()).isTrue();
        assertThat(table.lookup("auth").has(CommandFlag.NO_AUTH)).isTrue();
        assertThat(get.acl()).contains("read", "string");
    }
}
