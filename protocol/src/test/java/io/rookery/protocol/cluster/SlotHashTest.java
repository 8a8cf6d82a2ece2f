package io.rookery.protocol.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SlotHashTest {

    private static int slot(String key) {
        return SlotHash.slot(key.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void crc16IsXmodem() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(SlotHash.crc16(check, 0, check.length)).isEqualTo(0x31C3);
    }

    @Test
    void hashTagsPickTheSlot() {
        assertThat(slot("{user1000}.following")).isEqualTo(slot("{user1000}.followers")).isEqualTo(slot("user1000"));
        assertThat(slot("foo{}{bar}")).isEqualTo(SlotHash.crc16("foo{}{bar}".getBytes(), 0, 10) & 16383);
        assertThat(slot("foo{{bar}}zap")).isEqualTo(slot("{bar"));
        assertThat(slot("foo{bar}{zap}")).isEqualTo(slot("bar"));
    }

    @Test
    void slotsStayInRange() {
        for (int i = 0; i < 10_000; i++) {
            assertThat(slot("key:" + i)).isBetween(0, 16383);
        }
    }

    @Test
    void redirectsParseBothKinds() {
        assertThat(Redirect.parse("MOVED 3999 127.0.0.1:6381"))
                .isEqualTo(new Redirect(Redirect.Kind.MOVED, 3999, "127.0.0.1", 6381));
        assertThat(Redirect.parse("ASK 1 ::1:7000")).isEqualTo(new Redirect(Redirect.Kind.ASK, 1, "::1", 7000));
        assertThat(Redirect.parse("ERR nope")).isNull();
        assertThat(Redirect.parse("MOVED 99999 h:1")).isNull();
        assertThat(new Redirect(Redirect.Kind.MOVED, 5, "h", 1).toError()).isEqualTo("MOVED 5 h 1".replace("h 1", "h:1"));
    }
}
