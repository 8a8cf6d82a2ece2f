package io.rookery.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.NodeProcess;
import io.rookery.node.support.RedisSuiteFiles;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Redis 7.0.15's own test suite against the node: every unit of {@code tools/redis-suite/units.tsv}
 * runs through {@code ../shared/tools/redis-tests} (external-server mode) against a fresh node in a
 * child JVM of its own (a unit may leave any state behind, shut the server down or exhaust its heap),
 * and each gated unit must pass at least 98% of the tests real redis-server passes. Units the table
 * marks pending are run and reported, not gated: the compatibility issue stays open while any is left.
 * The tests Rookery fails, and why, are listed in {@code tools/redis-suite/known-failures.tsv}; a
 * failure missing from that list is printed so that the list stays true. {@code -Dredis-suite.units=a,b}
 * runs only the named units.
 */
@Tag("redis-suite")
class RedisSuiteIT {
    private static final long UNIT_TIMEOUT_MINUTES = 12;

    @Test
    void redisOwnTestUnitsPassAgainstTheNode() throws Exception {
        Path root = projectRoot();
        Path runner = RedisSuiteFiles.runner();
        RedisSuiteFiles.tests(); // fetched once, here, rather than by the first unit's run
        List<SuiteUnit> units = SuiteUnit.read(root.resolve("tools/redis-suite/units.tsv"));
        String only = System.getProperty("redis-suite.units", "");
        if (!only.isBlank()) { // a developer's subset, e.g. -Dredis-suite.units=unit/type/incr,unit/multi
            List<String> wanted = List.of(only.split(","));
            units = units.stream().filter(u -> wanted.contains(u.name())).toList();
        }
        List<String> known = Files.readAllLines(root.resolve("tools/redis-suite/known-failures.tsv"));
        Path logs = Files.createTempDirectory("redis-suite");

        StringBuilder report = new StringBuilder("Redis 7.0.15 suite against Rookery (logs in " + logs + ")\n");
        report.append(String.format("%-26s %5s %5s %6s  %s%n", "unit", "ours", "redis", "needed", "status"));
        List<String> shortfalls = new ArrayList<>();
        for (SuiteUnit unit : units) {
            long started = System.nanoTime();
            UnitResult result = runUnit(runner, unit.name(), logs);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            report.append(String.format("%-26s %5d %5d %6d  %s%s (%d s)%n", unit.name(), result.passed(), unit.redisPassed(),
                    unit.required(), unit.gated() ? "" : "[pending] ", result.status(), seconds));
            for (String failed : result.failedTests()) {
                if (known.stream().noneMatch(k -> k.startsWith(unit.name() + "\t" + failed + "\t"))) {
                    report.append("    not in known-failures.tsv: ").append(failed).append('\n');
                }
            }
            if (unit.gated() && result.passed() < unit.required()) {
                shortfalls.add(unit.name() + ": " + result.passed() + " passed, " + unit.required() + " required");
            }
        }
        System.out.println(report);
        assertThat(shortfalls).as("units below 98%% of real redis-server's count:%n%s", report).isEmpty();
    }

    /** Runs one unit against a fresh child-JVM node with DEBUG on and a data directory of its own. */
    private static UnitResult runUnit(Path runner, String unit, Path logs) throws Exception {
        String name = unit.replace('/', '_');
        Path out = logs.resolve(name + ".summary");
        Path dir = Files.createTempDirectory("redis-suite-" + name);
        try (NodeProcess node = NodeProcess.start(List.of("-Xmx2g", "-XX:+UseSerialGC"),
                "enable-debug-command", "yes", "dir", dir.toString())) {
            ProcessBuilder pb = new ProcessBuilder("bash", runner.toString(), "127.0.0.1", Integer.toString(node.port()), unit)
                    .redirectErrorStream(true).redirectOutput(out.toFile()).redirectInput(new File("/dev/null"));
            pb.environment().put("LOGDIR", logs.toString());
            Process p = pb.start();
            if (!p.waitFor(UNIT_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return new UnitResult(0, "runner hung", List.of());
            }
            Files.writeString(logs.resolve("node-" + name + ".log"), node.output());
        }
        return UnitResult.parse(unit, Files.readAllLines(out), logs.resolve(name + ".log"));
    }

    /** The checkout's root: the nearest folder above the working directory that holds tools/redis-suite. */
    private static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("tools/redis-suite"))) {
                return dir;
            }
        }
        throw new IllegalStateException("tools/redis-suite not found above " + Path.of("").toAbsolutePath());
    }

    /** A row of units.tsv: {@code unit <TAB> redis_ok [<TAB> pending: why]}. */
    record SuiteUnit(String name, int redisPassed, boolean gated) {
        int required() {
            return (redisPassed * 98 + 99) / 100;
        }

        static List<SuiteUnit> read(Path table) throws IOException {
            try (Stream<String> lines = Files.lines(table)) {
                return lines.filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.split("\t"))
                        .map(f -> new SuiteUnit(f[0], Integer.parseInt(f[1].trim()), f.length < 3 || !f[2].startsWith("pending")))
                        .toList();
            }
        }
    }

    /** What the runner printed for a unit ({@code unit ok err status}) and the names of its failed tests. */
    record UnitResult(int passed, String status, List<String> failedTests) {
        static UnitResult parse(String unit, List<String> runnerOutput, Path unitLog) throws IOException {
            String line = runnerOutput.stream().filter(l -> l.startsWith(unit + " ")).findFirst().orElse(null);
            if (line == null) {
                return new UnitResult(0, "no result: " + String.join(" | ", runnerOutput), List.of());
            }
            String[] f = line.trim().split("\\s+", 4);
            List<String> failed = new ArrayList<>();
            if (Files.exists(unitLog)) {
                for (String l : Files.readAllLines(unitLog)) {
                    String plain = l.replaceAll("\u001B\\[[0-9;]*m", "");
                    if (plain.startsWith("[err]: ") || plain.startsWith("[exception]: ")) {
                        failed.add(plain.substring(plain.indexOf(": ") + 2).replaceAll(" in tests/unit/\\S+$", ""));
                    }
                }
            }
            return new UnitResult(Integer.parseInt(f[1]), f.length > 3 ? f[3] : "", failed);
        }
    }
}
