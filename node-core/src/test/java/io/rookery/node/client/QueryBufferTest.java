package io.rookery.node.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The query buffer's sizes as Redis reserves and trims them (CLIENT LIST qbuf / qbuf-free). */
class QueryBufferTest {

    @Test
    void aFirstSmallReadReservesOneReadLength() {
        QueryBuffer q = new QueryBuffer();
        q.received(0, 26, -1, 0);
        assertThat(q.used()).isEqualTo(26);
        assertThat(q.capacity()).isEqualTo(16 * 1024);
        q.running(26);
        assertThat(q.used()).isEqualTo(26);
        q.pending(0, -1, 0);
        assertThat(q.used()).isZero();
        assertThat(q.free()).isEqualTo(16 * 1024);
    }

    @Test
    void anIdleClientsBufferIsReleasedAfterTwoSeconds() {
        QueryBuffer q = new QueryBuffer();
        q.received(0, 26, -1, 0);
        q.pending(0, -1, 0);
        q.cronResize(2);
        assertThat(q.capacity()).isEqualTo(16 * 1024);
        q.cronResize(3);
        assertThat(q.capacity()).isZero();
    }

    @Test
    void aBigBulkGrowsTheBufferToItsSizeAndTheCronShrinksItToTheRecentPeak() {
        QueryBuffer q = new QueryBuffer();
        q.received(0, 2048, 400_000, 2000); // header read, the bulk has begun
        q.received(0, 65_536, 400_000, 2000);
        assertThat(q.capacity()).isEqualTo(400_002);
        q.received(0, 332_466, 400_000, 67_536); // the rest of it
        assertThat(q.used()).isEqualTo(400_002);
        q.pending(0, -1, 0); // the command ran
        q.cronResize(0);
        assertThat(q.capacity()).as("the peak of this cycle was the bulk").isEqualTo(400_002);
        q.received(0, 40, -1, 0); // small commands from now on
        q.pending(0, -1, 0);
        q.cronResize(0);
        assertThat(q.capacity()).isEqualTo(40);
    }

    @Test
    void decodingAgainWithoutNewInputReservesNothing() {
        QueryBuffer q = new QueryBuffer();
        q.received(0, 20_000, -1, 0);
        q.pending(100, -1, 0);
        q.received(100, 0, -1, 0);
        assertThat(q.capacity()).isEqualTo(20_000);
        assertThat(q.used()).isEqualTo(100);
    }

    @Test
    void aBufferWastingLittleIsLeftAlone() {
        QueryBuffer q = new QueryBuffer();
        q.received(0, 14_000, -1, 0);
        q.pending(14_000, -1, 0); // a request still incomplete
        q.cronResize(10);
        assertThat(q.capacity()).isEqualTo(16 * 1024);
    }
}
