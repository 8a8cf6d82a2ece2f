package io.rookery.node.server;

/**
 * Ends the process at once when the JVM runs out of heap. An {@link OutOfMemoryError} can strike any
 * thread half-way through changing the keyspace or a connection's state, and a node that goes on
 * after one (or whose command thread died of one) answers nothing while looking alive; exiting
 * non-zero lets a supervisor restart it from its files. The launcher also passes
 * {@code -XX:+ExitOnOutOfMemoryError}; this covers {@code java -jar} and embedded nodes, through the
 * default uncaught-exception handler ({@link #install}) and the places that catch throwables
 * ({@link #ifOutOfMemory}). The exit code is 3, as the JVM's own flag uses.
 */
public final class OutOfMemoryExit {
    public static final int EXIT_CODE = 3;

    private static volatile boolean installed;

    private OutOfMemoryExit() {
    }

    /** Makes any thread that dies of an OutOfMemoryError end the process; keeps the previous handler otherwise. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            ifOutOfMemory(error);
            if (previous != null) {
                previous.uncaughtException(thread, error);
            } else {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                error.printStackTrace();
            }
        });
        installed = true;
    }

    /**
     * Halts the process when {@code error} is, or was caused by, an OutOfMemoryError of the heap (or
     * metaspace); returns otherwise. Running out of direct (I/O buffer) memory is not fatal: it fails
     * only the allocation that asked, for one connection, leaves no structure half-changed, and the
     * JVM's own flag does not exit for it either.
     */
    public static void ifOutOfMemory(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError && !isDirectMemory(t)) {
                halt(t);
            }
        }
    }

    private static boolean isDirectMemory(Throwable oom) {
        return oom instanceof io.netty.util.internal.OutOfDirectMemoryError
                || oom.getMessage() != null && oom.getMessage().toLowerCase(java.util.Locale.ROOT).contains("direct buffer memory");
    }

    private static void halt(Throwable oom) {
        try {
            System.err.println("Out of memory in thread " + Thread.currentThread().getName() + " (" + oom.getMessage()
                    + "): exiting so a supervisor can restart the node from its files");
            System.err.flush();
        } catch (Throwable ignored) {
            // printing may itself fail without memory; exiting matters more
        }
        Runtime.getRuntime().halt(EXIT_CODE);
    }
}
