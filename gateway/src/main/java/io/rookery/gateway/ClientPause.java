package io.rookery.gateway;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CLIENT PAUSE of the gateway's own clients, as Redis pauses its clients: while a pause is on, a client's
 * command that it covers (every command in ALL mode; in WRITE mode those that write or may replicate,
 * and an EXEC of such) is held with everything the client sent after it, and runs once the pause ends
 * (its timeout, or CLIENT UNPAUSE). A newer pause extends the older one (the later end, the stricter mode).
 * Shared by every event loop; the held commands stay with their client ({@link ClientSession}).
 */
final class ClientPause {
    enum Mode { WRITE, ALL }

    private volatile Mode mode;
    private volatile long endMillis;
    private final Set<ClientSession> waiting = ConcurrentHashMap.newKeySet();

    synchronized void pause(long endMillis, Mode mode) {
        if (active() == null) {
            this.mode = mode;
            this.endMillis = endMillis;
        } else {
            this.mode = mode == Mode.ALL || this.mode == Mode.ALL ? Mode.ALL : Mode.WRITE;
            this.endMillis = Math.max(this.endMillis, endMillis);
        }
    }

    /** Ends the pause: every client holding commands resumes them (on its own event loop). */
    void unpause() {
        synchronized (this) {
            mode = null;
        }
        for (ClientSession c : waiting) {
            waiting.remove(c);
            c.resumeHeldSoon(0);
        }
    }

    /** The mode in force now, null when there is no pause. */
    Mode active() {
        Mode m = mode;
        if (m != null && System.currentTimeMillis() >= endMillis) {
            return null;
        }
        return m;
    }

    /** Whether a command is held now: {@code mayReplicate} tells whether it writes or may replicate. */
    boolean holds(boolean mayReplicate) {
        Mode m = active();
        return m == Mode.ALL || (m == Mode.WRITE && mayReplicate);
    }

    /** {@code c} holds commands: it resumes them when the pause ends, by its timeout or UNPAUSE. */
    void await(ClientSession c) {
        waiting.add(c);
        c.resumeHeldSoon(Math.max(1, endMillis - System.currentTimeMillis()));
    }

    void left(ClientSession c) {
        waiting.remove(c);
    }
}
