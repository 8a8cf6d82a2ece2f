package io.rookery.node.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's redis-cli against a port and returns what it printed. */
public final class RedisCli {
    private RedisCli() {
    }

    public static String run(int port, byte[] stdin, String... args) {
        return run(30, port, stdin, args);
    }

    /** As {@link #run(int, String...)}, for runs (redis-cli --cluster reshard, rebalance) that may take up to {@code seconds}. */
    public static String runWithin(long seconds, int port, String... args) {
        return run(seconds, port, null, args);
    }

    private static String run(long seconds, int port, byte[] stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of(RealRedis.binary("redis-cli"), "-h", "127.0.0.1", "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin);
            }
            p.getOutputStream().close();
            java.util.concurrent.CompletableFuture<byte[]> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("redis-cli did not finish within " + seconds + " s: " + cmd);
            }
            return new String(out.join(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String run(int port, String... args) {
        return run(port, null, args);
    }
}
