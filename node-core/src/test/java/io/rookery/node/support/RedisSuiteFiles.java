package io.rookery.node.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Redis 7.0.15's test suite files ({@code tests/}: the units, the harness, {@code assets/default.conf}), as
 * {@code ../shared/tools/redis-tests} keeps them in its cache ({@code REDIS_TESTS_CACHE}, default
 * {@code ~/.cache/redis-7.0.15-tests}). On a fresh machine the cache is empty until the runner first runs, so
 * whichever test needs the files first has the runner fetch them (from Debian's {@code redis} source package);
 * tests no longer depend on running after one that happened to fetch them.
 */
public final class RedisSuiteFiles {
    private RedisSuiteFiles() {
    }

    /** {@code ../shared/tools/redis-tests}, beside the checkout. */
    public static Path runner() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path runner = dir.resolveSibling("shared").resolve("tools/redis-tests");
            if (Files.isDirectory(dir.resolve("tools/redis-suite")) && Files.isRegularFile(runner)) {
                return runner;
            }
        }
        throw new AssertionError("../shared/tools/redis-tests not found beside the checkout above " + Path.of("").toAbsolutePath());
    }

    /** The runner's cache folder, the one holding {@code tests/}. */
    public static Path cache() {
        String configured = System.getenv("REDIS_TESTS_CACHE");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "redis-7.0.15-tests");
    }

    /**
     * The suite's {@code tests/} folder, fetched first when missing: the runner fetches before it looks for a
     * server, so a call naming no server that answers (port 1) fetches and then reports "server-down".
     */
    public static synchronized Path tests() throws Exception {
        Path tests = cache().resolve("tests");
        if (Files.isRegularFile(tests.resolve("test_helper.tcl"))) {
            return tests;
        }
        Path out = Files.createTempFile("redis-tests-fetch", ".out");
        Process fetch = new ProcessBuilder("bash", runner().toString(), "127.0.0.1", "1", "unit/none")
                .redirectErrorStream(true).redirectOutput(out.toFile()).redirectInput(new File("/dev/null")).start();
        boolean ended = fetch.waitFor(10, TimeUnit.MINUTES);
        if (!ended) {
            fetch.destroyForcibly();
        }
        assertThat(tests.resolve("test_helper.tcl")).as("Redis 7.0.15's suite fetched by %s into %s; it said:%n%s",
                runner(), cache(), Files.readString(out)).isRegularFile();
        Files.deleteIfExists(out);
        return tests;
    }
}
