package io.rookery.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScanCursorTest {

    @Test
    void cursorZeroStartsAtTheFirstPrimary() {
        assertThat(ScanCursor.decode("0", 3)).isEqualTo(new ScanCursor.Position(0, 0));
    }

    @Test
    void aPrimarysCursorIsCarriedAboveTheIndexAndComesBack() {
        long combined = ScanCursor.next(2, 12345, 3);
        assertThat(ScanCursor.decode(Long.toUnsignedString(combined), 3)).isEqualTo(new ScanCursor.Position(2, 12345));
    }

    @Test
    void aPrimarysLastPageMovesToTheNextAndTheLastPrimaryEndsTheScan() {
        assertThat(ScanCursor.next(0, 0, 3)).isEqualTo(1);
        assertThat(ScanCursor.decode("1", 3)).isEqualTo(new ScanCursor.Position(1, 0));
        assertThat(ScanCursor.next(2, 0, 3)).isZero();
    }

    @Test
    void foreignCursorsAreRefused() {
        assertThat(ScanCursor.decode("abc", 3)).isNull();
        assertThat(ScanCursor.decode("5", 3)).isNull();
        assertThat(ScanCursor.next(0, -1L, 3)).isEqualTo(-1);
    }
}
