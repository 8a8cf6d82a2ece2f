package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** MEMORY DOCTOR's report for the figures Redis's getMemoryDoctorReport looks at. */
class MemoryDoctorTest {
    private static final long MB = 1024 * 1024;

    @Test
    void anAlmostEmptyNodeGetsRedisEmptyText() {
        assertThat(MemoryDoctor.report(new MemoryDoctor.Figures(2 * MB, 2 * MB, 0, 1, 0, 0, 0)))
                .startsWith("Hi Sam, this instance is empty or is using very little memory");
    }

    @Test
    void aHealthyNodeGetsTheAllClear() {
        assertThat(MemoryDoctor.report(new MemoryDoctor.Figures(50 * MB, 60 * MB, 1000, 2, 0, 0, 10)))
                .isEqualTo("Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n");
    }

    @Test
    void aBigPeakAndBigClientBuffersAreReported() {
        String report = MemoryDoctor.report(new MemoryDoctor.Figures(10 * MB, 100 * MB, 10 * MB, 2, 0, 0, 0));
        assertThat(report).startsWith("Sam, I detected a few issues in this Redis instance memory implants:\n\n * Peak memory:")
                .contains(" * Big client buffers:").endsWith("I'm here to keep you safe, Sam. I want to help you.\n");
    }
}
