package io.rookery.node.info;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process facts for INFO server/memory/cpu, read from /proc on Linux with JVM fallbacks. */
public final class ProcessStats {
    private static final long CLOCK_TICKS = 100;

    private ProcessStats() {
    }

    public static long pid() {
        return ProcessHandle.current().pid();
    }

    /** Resident set size in bytes, or -1 when unknown. */
    public static long rss() {
        try {
            String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(f[1]) * 4096;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {user, system} CPU seconds of the process. */
    public static double[] cpu() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new double[]{Long.parseLong(f[11]) / (double) CLOCK_TICKS, Long.parseLong(f[12]) / (double) CLOCK_TICKS};
        } catch (IOException | RuntimeException e) {
            long nanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            return new double[]{nanos / 1e9, 0};
        }
    }

    public static long totalSystemMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return Runtime.getRuntime().maxMemory();
    }

    public static long heapUsed() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
