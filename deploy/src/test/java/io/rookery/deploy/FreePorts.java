package io.rookery.deploy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs of consecutive free loopback ports, for {@code bin/rookery-cluster}'s port ranges (a first port, the
 * next ones after it). Picked at random below the ephemeral range (20000-29999) and probed by binding, so
 * parallel runs rarely meet; a cluster node's bus port (+10000) stays below 40000.
 */
final class FreePorts {
    private FreePorts() {
    }

    /** The first of {@code count} consecutive free ports. */
    static int run(int count) throws IOException {
        return find(count, false);
    }

    /** The first of {@code count} consecutive free ports whose ports +10000 (the cluster bus) are free too. */
    static int runWithBus(int count) throws IOException {
        return find(count, true);
    }

    private static int find(int count, boolean bus) throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(20000, 30000 - count);
            boolean free = true;
            for (int p = first; p < first + count && free; p++) {
                free = free(p) && (!bus || free(p + 10000));
            }
            if (free) {
                return first;
            }
        }
        throw new IOException("no run of " + count + " free ports found in 20000-29999");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
