package io.rookery.deploy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs of consecutive free loopback ports, for {@code bin/rookery-cluster}'s port ranges (a first port, the
 * next ones after it). Picked at random in 10000-22699 and probed by binding, so parallel runs rarely meet; a
 * cluster node's bus port (+10000) stays below Linux's ephemeral range (32768-60999), where an outgoing
 * connection of any process could take it between the probe and the node's bind.
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
            int first = ThreadLocalRandom.current().nextInt(10000, 22700 - count);
            boolean free = true;
            for (int p = first; p < first + count && free; p++) {
                free = free(p) && (!bus || free(p + 10000));
            }
            if (free) {
                return first;
            }
        }
        throw new IOException("no run of " + count + " free ports found in 10000-22699");
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
