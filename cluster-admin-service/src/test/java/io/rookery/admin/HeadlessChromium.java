package io.rookery.admin;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium} in headless mode, one process per call: the DOM of a page after its
 * scripts ran for a virtual-time budget ({@code --dump-dom}), or a PNG screenshot of it. Each call
 * has its own throw-away profile directory and a hard timeout. A missing binary fails with a message
 * saying how to install it.
 */
public final class HeadlessChromium {
    private static final long TIMEOUT_SECONDS = 60;
    private final String binary;
    private final Path work;

    private HeadlessChromium(String binary, Path work) {
        this.binary = binary;
        this.work = work;
    }

    /** The chromium on the PATH (or /usr/bin/chromium); fails clearly when there is none. */
    public static HeadlessChromium find(Path work) throws IOException {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(candidate)) {
                    Files.createDirectories(work);
                    return new HeadlessChromium(candidate.toString(), work);
                }
            }
        }
        throw new AssertionError("chromium is not installed (the browser test needs Debian's chromium: "
                + "apt-get install -y chromium; .ci/run installs it)");
    }

    /** The serialised DOM of {@code url} after {@code virtualMillis} of virtual time (the last one stays in dom.html). */
    public String dumpDom(String url, int virtualMillis) throws IOException, InterruptedException {
        Path out = work.resolve("dom.html");
        run(out, List.of("--virtual-time-budget=" + virtualMillis, "--dump-dom", url));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** A {@code width}x{@code height} PNG screenshot of {@code url} into {@code png}, after {@code virtualMillis}. */
    public void screenshot(String url, Path png, int width, int height, int virtualMillis)
            throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        run(work.resolve("screenshot.log"), List.of("--virtual-time-budget=" + virtualMillis,
                "--window-size=" + width + "," + height, "--hide-scrollbars", "--screenshot=" + png.toAbsolutePath(), url));
        if (!Files.exists(png)) {
            throw new AssertionError("chromium wrote no screenshot " + png + ": " + Files.readString(work.resolve("chromium.err")));
        }
    }

    private void run(Path stdout, List<String> args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(work, "profile");
        List<String> command = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--user-data-dir=" + profile));
        command.addAll(args);
        Path stderr = work.resolve("chromium.err");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("chromium exited with " + p.exitValue() + ": " + Files.readString(stderr));
            }
        } finally {
            delete(profile);
        }
    }

    /** Best effort: a helper process chromium left behind may still be writing into the profile. */
    private static void delete(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // a leftover profile under target/ does no harm
        }
    }
}
