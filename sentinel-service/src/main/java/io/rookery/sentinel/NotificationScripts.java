package io.rookery.sentinel;

import io.rookery.sentinel.SentinelEvents.Level;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user scripts of a primary, run as Redis Sentinel runs them: the notification-script with
 * {@code <event type> <event message>} for every warning-level event, the client-reconfig-script with
 * {@code <master> <leader|observer> start <from-ip> <from-port> <to-ip> <to-port>} on each failover.
 *
 * <p>At most 16 run at once and 256 wait (the oldest waiting one is dropped). A script that exits
 * with 1 or dies by a signal is retried up to 10 times, after 30 s doubled at each retry; one that runs
 * longer than 60 s is killed. The timer drives all of it; nothing here blocks. As in Redis, whose
 * working directory is {@code dir}, a relative script path is taken relative to {@code dir} and the
 * script runs there.
 */
final class NotificationScripts {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationScripts.class);
    private static final int MAX_QUEUE = 256;
    private static final int MAX_RUNNING = 16;
    private static final int MAX_RETRY = 10;

    private final Sentinel s;
    private final LinkedList<Job> queue = new LinkedList<>();

    private static final class Job {
        final List<String> argv;
        int retries;
        long startAt;
        Process process;

        Job(List<String> argv) {
            this.argv = argv;
        }
    }

    NotificationScripts(Sentinel s) {
        this.s = s;
    }

    void onEvent(SentinelEvent event) {
        if (!event.level().equals("warning") || event.master() == null) {
            return;
        }
        Master m = s.masters.get(event.master());
        if (m != null && m.notificationScript != null) {
            schedule(List.of(m.notificationScript, event.type(), event.message()));
        }
    }

    void clientReconfig(Master m, String role, String state, InstanceAddress from, InstanceAddress to) {
        if (m.clientReconfigScript == null) {
            return;
        }
        schedule(List.of(m.clientReconfigScript, m.name, role, state, from.announced(s.announceHostnames),
                Integer.toString(from.port()), to.announced(s.announceHostnames), Integer.toString(to.port())));
    }

    private void schedule(List<String> argv) {
        queue.add(new Job(argv));
        if (queue.size() > MAX_QUEUE) {
            for (Iterator<Job> it = queue.iterator(); it.hasNext(); ) {
                if (it.next().process == null) {
                    it.remove();
                    break;
                }
            }
        }
    }

    int running() {
        return (int) queue.stream().filter(j -> j.process != null).count();
    }

    int queued() {
        return queue.size();
    }

    /** One timer pass: collect finished scripts, kill overdue ones, start waiting ones. */
    void run() {
        if (queue.isEmpty()) {
            return;
        }
        long now = s.now();
        for (Iterator<Job> it = queue.iterator(); it.hasNext(); ) {
            Job j = it.next();
            if (j.process == null || j.process.isAlive()) {
                continue;
            }
            int exit = j.process.exitValue();
            boolean signalled = exit > 128;
            j.process = null;
            if ((signalled || exit == 1) && j.retries != MAX_RETRY) {
                long delay = s.timings.scriptRetryDelay;
                for (int r = j.retries; r > 1; r--) {
                    delay *= 2;
                }
                j.startAt = now + delay;
            } else {
                if (exit != 0) {
                    s.events.emit(Level.WARNING, "-script-error", null, j.argv.get(0) + " " + (signalled ? exit - 128 : 0)
                            + " " + (signalled ? 0 : exit));
                }
                it.remove();
            }
        }
        for (Job j : queue) {
            if (j.process != null && now - j.startAt > s.timings.scriptMaxRuntime) {
                s.events.emit(Level.WARNING, "-script-timeout", null, j.argv.get(0) + " " + j.process.pid());
                j.process.destroyForcibly();
            }
        }
        int running = running();
        List<Job> toStart = new ArrayList<>();
        for (Job j : queue) {
            if (running + toStart.size() >= MAX_RUNNING) {
                break;
            }
            if (j.process == null && (j.startAt == 0 || j.startAt <= now)) {
                toStart.add(j);
            }
        }
        for (Job j : toStart) {
            j.retries++;
            j.startAt = now;
            try {
                List<String> command = new ArrayList<>(j.argv);
                command.set(0, s.resolve(j.argv.get(0)).toString());
                j.process = new ProcessBuilder(command).directory(s.dir().toFile()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                LOG.warn("could not run {}: {}", j.argv.get(0), e.getMessage());
                s.events.emit(Level.WARNING, "-script-error", null, j.argv.get(0) + " 99 0");
                queue.remove(j);
            }
        }
    }

    /**
     * A queued script as SENTINEL PENDING-SCRIPTS shows it: {@code millis} is how long it has run when
     * running, else how long until it may run.
     */
    record Pending(List<String> argv, boolean running, long pid, long millis, int retries) {
    }

    List<Pending> pending() {
        List<Pending> out = new ArrayList<>();
        long now = s.now();
        for (Job j : queue) {
            boolean running = j.process != null;
            long millis = running ? now - j.startAt : Math.max(0, j.startAt == 0 ? 0 : j.startAt - now);
            out.add(new Pending(j.argv, running, running ? j.process.pid() : 0, millis, j.retries));
        }
        return out;
    }
}
