package io.rookery.node.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a fresh directory, for tests about disks that are full or read-only (file
 * permissions do not stop root, which the CI machine runs as). Needs root; fails with a clear message
 * otherwise. Closing unmounts it.
 */
public final class TmpfsMount implements AutoCloseable {
    private final Path dir;

    private TmpfsMount(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} (mount's syntax, e.g. "256k") on {@code parent/name}. */
    public static TmpfsMount mount(Path parent, String name, String size) throws IOException, InterruptedException {
        Path dir = Files.createDirectory(parent.resolve(name));
        run("this test mounts a small tmpfs and needs root", "mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs",
                dir.toString());
        return new TmpfsMount(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Makes the file system read-only (what is on it stays readable). */
    public TmpfsMount readOnly() throws IOException, InterruptedException {
        run("remounting the tmpfs read-only failed", "mount", "-o", "remount,ro", dir.toString());
        return this;
    }

    private static void run(String failure, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(failure + ": " + String.join(" ", cmd) + ": " + out);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("umount", "-l", dir.toString()).start().waitFor(10, TimeUnit.SECONDS);
    }
}
