package io.rookery.node.dispatch;

import io.netty.buffer.ByteBuf;
import io.rookery.node.client.Client;
import io.rookery.node.client.ReplyMode;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.node.latency.LatencyMonitor;
import io.rookery.protocol.command.CommandFlag;
import io.rookery.protocol.command.CommandSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one gate every command passes, through the stages {@link GateStages} declares: known command →
 * arity (and subcommand) → auth → state (subscribed context, OOM, loading, MISCONF, stale data,
 * read-only replica, min-replicas) → cluster slot → CLIENT PAUSE → MULTI queueing → handler. Handlers
 * hold command logic only.
 *
 * <p>Around the handler it keeps INFO commandstats and errorstats, the per-command latency histograms,
 * the slow log, the latency monitor's command events and the MONITOR feed, and applies CLIENT REPLY OFF|SKIP.
 */
public final class Dispatcher {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Dispatcher.class);
    /** Commands (flagged skip_monitor) that MONITOR shows before the commands they run, not after. */
    private static final java.util.Set<String> SCRIPT_CALLS = java.util.Set.of("eval", "evalsha", "eval_ro", "evalsha_ro",
            "fcall", "fcall_ro");
    private final CommandRegistry registry;
    private final Keyspace keyspace;
    private final NodeConfig config;
    private final GateStages stages = new GateStages();
    private final SlowLog slowLog = new SlowLog();
    private final LatencyMonitor latencyMonitor;
    private final Map<String, long[]> errorStats = new HashMap<>();
    private final List<Client> monitors = new ArrayList<>();
    private final List<Client> postponed = new ArrayList<>();
    private final KeyHolds holds = new KeyHolds();
    /** A resumed command was counted, and shown to MONITOR, when it first ran. */
    private boolean resuming;
    /**
     * Commands that may lazily expire any number of keys they come across (Redis's
     * CMD_TOUCHES_ARBITRARY_KEYS): run directly, their DELs are not wrapped in MULTI/EXEC, like
     * the active expire cycle's.
     */
    private static final java.util.Set<String> TOUCHES_ARBITRARY_KEYS = java.util.Set.of("scan", "randomkey");
    private MultiQueue multi = MultiQueue.NONE;
    private final List<Runnable> afterCommand = new ArrayList<>();
    private final List<WriteObserver> writeObservers = new ArrayList<>();
    private final List<CallObserver> callObservers = new ArrayList<>();
    private final List<java.util.function.Consumer<Client>> forgetHooks = new ArrayList<>();
    private final List<Runnable> statsResets = new ArrayList<>();
    private final Propagation propagation = new Propagation();
    private final io.rookery.node.acl.AclUsers acl;
    private java.util.function.BiFunction<CommandSpec, byte[][], CommandSpec> gateFlags = (spec, args) -> spec;

    private long pausedUntil;
    private boolean pauseWritesOnly;
    /** A write pause of a cluster manual failover (Redis's PAUSE_DURING_FAILOVER), apart from CLIENT PAUSE. */
    private long failoverPausedUntil;
    private long commandsProcessed;
    private long errorReplies;
    private long dirty;

    public Dispatcher(CommandRegistry registry, Keyspace keyspace, NodeConfig config) {
        this.registry = registry;
        this.keyspace = keyspace;
        this.config = config;
        this.latencyMonitor = new LatencyMonitor(() -> config.latencyMonitorThreshold);
        this.acl = new io.rookery.node.acl.AclUsers(registry.table(), () -> config.requirepass,
                name -> config.parameter(name) == null ? null : config.parameter(name).get());
    }

    /** The ACL users, whose permissions the gate checks right after authentication. */
    public io.rookery.node.acl.AclUsers acl() {
        return acl;
    }

    /**
     * Redis's getCommandFlags: the spec whose flags the state checks see for a command line. EVAL
     * and FCALL of a script that declares flags are checked as its flags make them (a script
     * without no-writes is a write, denied over maxmemory unless allow-oom; allow-stale serves stale).
     */
    public void gateFlags(java.util.function.BiFunction<CommandSpec, byte[][], CommandSpec> resolver) {
        this.gateFlags = resolver;
    }

    /** The gate's named stages, filled when the node is assembled. */
    public GateStages stages() {
        return stages;
    }

    /** Runs after every top-level command (not after each command inside EXEC): serving blocked clients. */
    public void afterCommand(Runnable hook) {
        afterCommand.add(hook);
    }

    /** Where writes are propagated from (AOF, replication). */
    public Propagation propagation() {
        return propagation;
    }

    public void addWriteObserver(WriteObserver observer) {
        writeObservers.add(observer);
    }

    /** Told around every command run (top level, inside EXEC and from scripts). */
    public void addCallObserver(CallObserver observer) {
        callObservers.add(observer);
    }

    /** Told when a client's per-connection state is dropped: it disconnected or sent RESET. */
    public void onForget(java.util.function.Consumer<Client> hook) {
        forgetHooks.add(hook);
    }

    /** Plugs in MULTI/EXEC queueing (the transactions subsystem). */
    public void multiQueue(MultiQueue queue) {
        this.multi = queue;
    }

    /**
     * Replays a command from the AOF: resolves it like the gate but runs no checks and writes no
     * reply anyone reads. Unknown commands and wrong arity raise, as a corrupt file must not load.
     */
    public void replay(Client client, byte[][] args) {
        CommandSpec spec = registry.table().lookup(args[0]);
        if (spec != null && spec.isContainer() && args.length > 1) {
            spec = spec.subcommands().get(new String(args[1], StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
        }
        Command command = spec == null ? null : registry.get(spec);
        if (command == null || !spec.arityAccepts(args.length)) {
            throw new IllegalArgumentException("Unknown command '" + new String(args[0], StandardCharsets.UTF_8)
                    + "' or wrong number of arguments reading the append only file");
        }
        keyspace.clock(System.currentTimeMillis());
        call(client, command, args);
        io.netty.buffer.ByteBuf out = client.takeOutput();
        if (out != null) {
            out.release();
        }
    }

    /** Runs (or rejects, postpones, queues) one request of {@code client}. */
    public void dispatch(Client client, byte[][] args) {
        long now = System.currentTimeMillis();
        client.lastInteraction = now;
        keyspace.clock(now);

        CommandSpec spec = registry.table().lookup(args[0]);
        Command command = spec == null ? null : registry.get(spec);
        if (command == null && (spec == null || !spec.isContainer())) {
            reject(client, null, unknownCommand(args));
            return;
        }
        if (!spec.arityAccepts(args.length)) {
            reject(client, command, Errors.arity(spec.name()));
            return;
        }
        if (spec.isContainer() && (args.length > 1 || command == null)) {
            CommandSpec sub = spec.subcommands().get(new String(args[1], StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
            Command subCommand = sub == null ? null : registry.get(sub);
            if (subCommand == null) {
                reject(client, null, "ERR unknown subcommand '" + clip(args[1]) + "'. Try "
                        + spec.name().toUpperCase(Locale.ROOT) + " HELP.");
                return;
            }
            if (!sub.arityAccepts(args.length)) {
                reject(client, subCommand, Errors.arity(sub.name()));
                return;
            }
            spec = sub;
            command = subCommand;
        }
        if (!client.authenticated && acl.authRequired() && !spec.has(CommandFlag.NO_AUTH)) {
            reject(client, command, Errors.NOAUTH);
            return;
        }
        String denied = acl.gateError(client, spec, args);
        if (denied != null) {
            reject(client, command, denied);
            return;
        }
        // EXEC is checked with its queued commands' flags, EVAL/FCALL with the script's declared flags
        CommandSpec flagged = client.inMulti && spec.name().equals("exec") ? multi.execSpec(client, spec) : gateFlags.apply(spec, args);
        // the cluster redirect first, as Redis's processCommand: a write sent to a replica (a primary
        // that just failed over, say) is MOVED, not refused with READONLY
        String refusal = stages.slotRedirect(client, spec, args);
        if (refusal == null) {
            refusal = stages.stateError(client, flagged, args);
        }
        if (refusal != null) {
            reject(client, command, refusal);
            return;
        }
        if (isPaused(flagged, now) || holds.blocks(client, spec, args)) {
            client.postponed = args;
            client.connection().suspendInput();
            postponed.add(client);
            return;
        }
        if (multi.queues(client, command, args)) {
            endReply(client);
            return;
        }
        call(client, command, args);
        if (TOUCHES_ARBITRARY_KEYS.contains(spec.name())) {
            propagation.flushSeparately();
        } else {
            propagation.flush();
        }
        endReply(client);
        for (int i = 0; i < afterCommand.size(); i++) {
            afterCommand.get(i).run();
        }
        propagation.flush();
    }

    /**
     * Runs again, past the gate it already passed, a command whose handler left its client waiting
     * (MIGRATE awaiting its target), with the bookkeeping of a top-level command around it: the handler
     * sees its awaited result, and its writes are propagated and observed as any command's are.
     */
    public void resume(Client client, byte[][] args) {
        CommandSpec spec = registry.table().lookup(args[0]);
        Command command = spec == null ? null : registry.get(spec);
        if (command == null) {
            throw new IllegalArgumentException("cannot resume unknown command " + clip(args[0]));
        }
        keyspace.clock(System.currentTimeMillis());
        resuming = true;
        try {
            call(client, command, args);
        } finally {
            resuming = false;
        }
        propagation.flush();
        endReply(client);
        for (int i = 0; i < afterCommand.size(); i++) {
            afterCommand.get(i).run();
        }
        propagation.flush();
    }

    /** The keys the gate keeps every command away from for now (MIGRATE's keys in flight). */
    public KeyHolds holds() {
        return holds;
    }

    /**
     * After a {@link #resume}d command let its keys go ({@link KeyHolds#release}): its client gets its
     * reply and input back (a client that left meanwhile is released: the reply goes nowhere), and the
     * commands the gate postponed for the held keys run.
     */
    public void unpark(Client client) {
        client.blocked = false;
        if (client.closing) {
            client.release();
        } else {
            client.connection().flushSoon();
            client.connection().resumeInput();
        }
        resumePostponed();
    }

    /**
     * The first refusal of the state guards (OOM, MISCONF, read-only replica, ...) for {@code spec},
     * or null. Scripts ask it before their first write, as Redis's scriptCall does.
     */
    public String refusal(Client client, CommandSpec spec, byte[][] args) {
        return stages.stateError(client, spec, args);
    }

    /**
     * Runs a command that passed the gate: the handler, then stats, slow log and MONITOR. Also used by
     * EXEC for the queued commands.
     */
    public void call(Client client, Command command, byte[][] args) {
        CommandSpec spec = command.spec();
        int mark = client.outputMark();
        client.lastCommand = spec.name();
        propagation.beginCommand();
        long dirtyBefore = dirty;
        int db = client.db;
        if (!monitors.isEmpty() && SCRIPT_CALLS.contains(spec.name())) {
            feedMonitors(client, args); // before the commands the script runs, as Redis's evalCommand does
        }
        for (int i = 0; i < callObservers.size(); i++) {
            callObservers.get(i).beforeCall(client, spec, args);
        }
        long start = System.nanoTime();
        try {
            command.handler().execute(client, args);
        } catch (CommandError e) {
            client.reply().error(e.getMessage());
        } catch (RuntimeException e) {
            // A bug must not take the connection (or the node) down: report it and carry on.
            LOG.error("command '{}' failed", spec.name(), e);
            client.truncateOutput(mark);
            client.reply().error("ERR internal error executing '" + spec.name() + "': " + e);
        }
        long nanos = System.nanoTime() - start;
        long micros = nanos / 1000;
        if (dirty > dirtyBefore) { // a save lowers the counter: SAVE and DEBUG RELOAD change no data (Redis clamps at 0)
            if (!propagation.replacedByHandler() && !spec.name().equals("exec")) {
                propagation.add(db, args); // EXEC's own commands propagated themselves
            }
            for (int i = 0; i < writeObservers.size(); i++) {
                writeObservers.get(i).written(client, spec, args, db);
            }
        }
        if (!resuming) {
            command.calls++;
            commandsProcessed++;
        }
        command.micros += micros;
        if (repliedError(client, mark)) {
            command.failedCalls++;
        }
        if (!client.blocked) { // a blocked client's wait is not the command's latency
            if (config.latencyTracking) {
                command.recordLatency(nanos);
            }
            latencyMonitor.sampleIfNeeded(spec.has(CommandFlag.FAST) ? "fast-command" : "command", micros / 1000);
        }
        if (config.slowlogLogSlowerThan >= 0 && micros >= config.slowlogLogSlowerThan
                && !spec.has(CommandFlag.SKIP_SLOWLOG)) {
            slowLog.add(ArgumentRedaction.redact(spec.name(), args), micros, client.connection().remoteAddress(),
                    client.name, config.slowlogMaxLen);
        }
        if (!monitors.isEmpty() && !resuming && !spec.has(CommandFlag.SKIP_MONITOR) && !spec.has(CommandFlag.ADMIN)) {
            feedMonitors(client, ArgumentRedaction.redact(spec.name(), args));
        }
        for (int i = 0; i < callObservers.size(); i++) {
            callObservers.get(i).afterCall(client, spec, args);
        }
    }

    private void reject(Client client, Command command, String refusal) {
        String error = refusal;
        if (command != null) {
            command.rejectedCalls++;
        }
        if (command != null && command.spec().name().equals("exec")) {
            String abort = multi.execRefused(client, error);
            error = abort != null ? abort : error;
        }
        client.reply().error(error);
        countError(error);
        multi.rejected(client);
        endReply(client);
    }

    private boolean repliedError(Client client, int mark) {
        if (client.errorReplyCounted) {
            client.errorReplyCounted = false;
            return true;
        }
        ByteBuf out = client.reply().target();
        if (out.writerIndex() > mark && out.getByte(mark) == '-') {
            int end = mark + 1;
            while (end < out.writerIndex() && out.getByte(end) != ' ' && out.getByte(end) != '\r') {
                end++;
            }
            countError(out.toString(mark + 1, end - mark - 1, StandardCharsets.UTF_8));
            return true;
        }
        return false;
    }

    /**
     * Counts an error replied outside the gate and the handlers' own replies (errorstats and
     * total_error_replies): a script's redis.call refused before the command ran (Redis's afterErrorReply).
     */
    public void countErrorReply(String error) {
        countError(error);
    }

    private void countError(String errorOrPrefix) {
        int space = errorOrPrefix.indexOf(' ');
        String prefix = space < 0 ? errorOrPrefix : errorOrPrefix.substring(0, space);
        errorStats.computeIfAbsent(prefix, k -> new long[1])[0]++;
        errorReplies++;
    }

    /**
     * After each request (run, queued or refused): drops what CLIENT REPLY OFF|SKIP silenced, and a
     * CLIENT REPLY SKIP just given silences the next request's reply (Redis's REPLY_SKIP_NEXT).
     */
    private static void endReply(Client client) {
        client.dropSilencedReplies();
        client.skippingReply = false;
        if (client.replyMode == ReplyMode.SKIP) {
            client.skippingReply = true;
            client.replyMode = ReplyMode.ON;
        }
    }

    private static String unknownCommand(byte[][] args) {
        StringBuilder sb = new StringBuilder("ERR unknown command '").append(clip(args[0]))
                .append("', with args beginning with: ");
        for (int i = 1; i < args.length && sb.length() < 128 + 60; i++) {
            sb.append('\'').append(clip(args[i])).append("' ");
        }
        return sb.toString();
    }

    private static String clip(byte[] arg) {
        String s = new String(arg, 0, Math.min(arg.length, 128), StandardCharsets.UTF_8);
        return s;
    }

    // ---------------------------------------------------------------- CLIENT PAUSE

    private boolean isPaused(CommandSpec spec, long now) {
        boolean writing = spec.isWrite() || spec.has(CommandFlag.MAY_REPLICATE);
        if (failoverPausedUntil != 0 && now < failoverPausedUntil && writing) {
            return true;
        }
        if (pausedUntil == 0) {
            return false;
        }
        if (now >= pausedUntil) {
            return false;
        }
        return !pauseWritesOnly || writing;
    }

    /**
     * Holds back writes until {@code untilMillis} or {@link #unpauseFailover} while a cluster manual
     * failover lets the replica catch up; CLIENT PAUSE and CLIENT UNPAUSE do not touch it.
     */
    public void pauseWritesForFailover(long untilMillis) {
        failoverPausedUntil = untilMillis;
    }

    /** Whether a manual failover holds writes back now (the primary then sends no replication PING). */
    public boolean writesPausedForFailover(long now) {
        return failoverPausedUntil != 0 && now < failoverPausedUntil;
    }

    /** Ends the manual failover's pause; commands still held by CLIENT PAUSE stay held. */
    public void unpauseFailover() {
        failoverPausedUntil = 0;
        resumePostponed();
    }

    public void pause(long untilMillis, boolean writesOnly) {
        if (untilMillis > pausedUntil || pausedUntil == 0 || writesOnly != pauseWritesOnly) {
            pausedUntil = untilMillis;
        }
        pauseWritesOnly = writesOnly;
    }

    public long pausedUntil() {
        return pausedUntil;
    }

    /** Ends the pause (CLIENT UNPAUSE or timeout) and runs the postponed commands in arrival order. */
    public void unpause() {
        pausedUntil = 0;
        resumePostponed();
    }

    /** Runs the postponed commands in arrival order; one still paused (or held) waits again. */
    private void resumePostponed() {
        List<Client> waiting = new ArrayList<>(postponed);
        postponed.clear();
        for (Client c : waiting) {
            byte[][] args = c.postponed;
            c.postponed = null;
            if (args != null && !c.closing) {
                dispatch(c, args);
                c.connection().flush();
                if (c.postponed == null) {
                    c.connection().resumeInput();
                }
            }
        }
    }

    /** Called from the cron: ends a pause whose time is up. */
    public void checkPause(long now) {
        if (pausedUntil != 0 && now >= pausedUntil) {
            unpause();
        }
        if (failoverPausedUntil != 0 && now >= failoverPausedUntil) {
            unpauseFailover();
        }
    }

    public void forget(Client c) {
        postponed.remove(c);
        monitors.remove(c);
        multi.forget(c);
        for (int i = 0; i < forgetHooks.size(); i++) {
            forgetHooks.get(i).accept(c);
        }
    }

    // ---------------------------------------------------------------- MONITOR

    public void addMonitor(Client c) {
        if (!monitors.contains(c)) {
            monitors.add(c);
        }
    }

    public int monitorCount() {
        return monitors.size();
    }

    private void feedMonitors(Client from, byte[][] args) {
        long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
        StringBuilder sb = new StringBuilder(64);
        sb.append(micros / 1_000_000).append('.').append(String.format("%06d", micros % 1_000_000))
                .append(" [").append(from.db).append(' ').append(from.connection().remoteAddress()).append(']');
        for (byte[] a : args) {
            sb.append(' ');
            Repr.append(sb, a);
        }
        String line = sb.toString();
        for (Client m : monitors) {
            m.reply().simple(line);
            m.connection().flushSoon();
        }
    }

    // ---------------------------------------------------------------- stats

    public SlowLog slowLog() {
        return slowLog;
    }

    /** The latency monitor (LATENCY LATEST/HISTORY): command events here, cron events from their duties. */
    public LatencyMonitor latencyMonitor() {
        return latencyMonitor;
    }

    public CommandRegistry registry() {
        return registry;
    }

    public long commandsProcessed() {
        return commandsProcessed;
    }

    /**
     * A blocked command that ended with {@code error} once woken (XREADGROUP whose group was destroyed):
     * counted in the error stats and as a failed call of {@code commandName}, as Redis's
     * updateStatsOnUnblock does.
     */
    public void failedWhileBlocked(String commandName, String error) {
        Command command = registry.get(commandName);
        if (command != null) {
            command.failedCalls++;
        }
        countError(error);
    }

    public long errorReplies() {
        return errorReplies;
    }

    /**
     * An error a blocked client got after its command returned (CLIENT UNBLOCK ... ERROR): counted
     * in the error stats and as a failed call of {@code commandName}, as Redis's updateStatsOnUnblock.
     */
    public void countErrorAfterBlocking(String commandName, String error) {
        countError(error);
        CommandSpec spec = registry.table().lookup(commandName);
        Command command = spec == null ? null : registry.get(spec);
        if (command != null) {
            command.failedCalls++;
        }
    }

    public Map<String, long[]> errorStats() {
        return errorStats;
    }

    /** Changes since the last save (rdb_changes_since_last_save); handlers add to it. */
    public long dirty() {
        return dirty;
    }

    public void dirty(long changes) {
        dirty += changes;
    }

    public void resetDirty() {
        dirty = 0;
    }

    /** Runs at CONFIG RESETSTAT, for statistics kept outside the dispatcher (per-slot load). */
    public void onResetStats(Runnable reset) {
        statsResets.add(reset);
    }

    public void resetStats() {
        statsResets.forEach(Runnable::run);
        registry.resetStats();
        errorStats.clear();
        errorReplies = 0;
        commandsProcessed = 0;
    }
}
