package io.rookery.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rookery.protocol.RespWriter;
import io.rookery.protocol.cluster.SlotHash;
import io.rookery.protocol.command.CommandFlag;
import io.rookery.protocol.command.CommandSpec;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * The gate and the splitter: every request of a client passes here. The gate checks, in Redis's
 * order, that the command exists, its arity, authentication and the subscribed-mode restriction, and
 * queues it when a transaction is open; then the command goes to the handler for its shape
 * (Envoy's command splitter is the model):
 *
 * <ul>
 *   <li>answered by the gateway itself ({@link LocalCommands}: PING, HELLO, AUTH, INFO, CLIENT, ...);</li>
 *   <li>keys in one slot: to that slot's primary on the shared link ({@link RoutedRequest});</li>
 *   <li>multi-key commands whose keys span slots: split by slot, merged in order ({@link MultiKeySplit});</li>
 *   <li>key-less commands about the whole dataset: every primary, combined ({@link AllPrimaries});</li>
 *   <li>blocking commands: a dedicated link; transactions and pub/sub: {@link Transactions}, {@link PubSub}.</li>
 * </ul>
 */
final class CommandRouter {
    private static final Set<String> SPLITTABLE = Set.of("mget", "mset", "del", "unlink", "exists", "touch");
    private static final Set<String> WHILE_SUBSCRIBED = Set.of("subscribe", "psubscribe", "ssubscribe", "unsubscribe",
            "punsubscribe", "sunsubscribe", "ping", "quit", "reset");
    private static final Set<String> TRANSACTION_CONTROL = Set.of("exec", "discard", "multi", "watch", "quit", "reset");

    private final GatewayContext gateway;
    private final LoopBackends backends;
    private final LocalCommands local;
    private final MultiKeySplit split;
    private final AllPrimaries all;
    private final Transactions transactions;
    private final PubSub pubsub;
    private final ReplicationWait waits;
    /** A cluster backend (slots matter), not a sentinel-managed primary; fixed for the gateway's life. */
    private final boolean clustered;

    CommandRouter(GatewayContext gateway, LoopBackends backends) {
        this.gateway = gateway;
        this.backends = backends;
        this.local = new LocalCommands(gateway, backends);
        this.split = new MultiKeySplit(gateway, backends);
        this.all = new AllPrimaries(gateway, backends);
        this.transactions = new Transactions(this, backends);
        this.pubsub = new PubSub(backends);
        this.waits = new ReplicationWait(gateway, backends);
        this.clustered = gateway.config().clustered();
    }

    void route(ClientSession c, byte[][] args) {
        if (!c.held.isEmpty()) {
            c.held.add(args); // behind a command held by CLIENT PAUSE: order is kept
            return;
        }
        routeNow(c, args);
    }

    /** Runs the commands a pause held, in order, until one is still held (the pause goes on). */
    void resumeHeld(ClientSession c) {
        byte[][] next;
        while ((next = c.held.peek()) != null) {
            CommandSpec spec = checkedSpec(next);
            if (spec != null && gateway.clients().pause.holds(mayReplicate(c, spec))) {
                gateway.clients().pause.await(c);
                return;
            }
            c.held.poll();
            routeNow(c, next);
        }
    }

    /** The command (or subcommand) spec when the request passes the table's checks, else null. */
    private CommandSpec checkedSpec(byte[][] args) {
        CommandSpec spec = gateway.commands().lookup(args[0]);
        if (spec == null || !spec.arityAccepts(args.length)) {
            return null;
        }
        if (spec.isContainer() && args.length > 1) {
            CommandSpec sub = spec.subcommands().get(text(args[1]).toLowerCase(Locale.ROOT));
            return sub == null || !sub.arityAccepts(args.length) ? null : sub;
        }
        return spec;
    }

    /** Whether CLIENT PAUSE WRITE holds the command: it writes or may replicate, or is an EXEC of such. */
    private boolean mayReplicate(ClientSession c, CommandSpec spec) {
        if (spec.has(CommandFlag.WRITE) || spec.has(CommandFlag.MAY_REPLICATE)) {
            return true;
        }
        if (spec.name().equals("exec") && c.state.queued != null) {
            for (byte[][] q : c.state.queued) {
                CommandSpec s = checkedSpec(q);
                if (s != null && (s.has(CommandFlag.WRITE) || s.has(CommandFlag.MAY_REPLICATE))) {
                    return true;
                }
            }
        }
        return false;
    }

    private void routeNow(ClientSession c, byte[][] args) {
        CommandSpec spec = gateway.commands().lookup(args[0]);
        if (spec == null) {
            reject(c, "unknown", unknownCommand(args));
            return;
        }
        if (!spec.arityAccepts(args.length)) {
            reject(c, spec.name(), "ERR wrong number of arguments for '" + spec.name() + "' command");
            return;
        }
        if (spec.isContainer() && args.length > 1) {
            CommandSpec sub = spec.subcommands().get(text(args[1]).toLowerCase(Locale.ROOT));
            if (sub == null) {
                reject(c, spec.name(), "ERR unknown subcommand '" + clip(args[1]) + "'. Try "
                        + spec.name().toUpperCase(Locale.ROOT) + " HELP.");
                return;
            }
            if (!sub.arityAccepts(args.length)) {
                reject(c, sub.name(), "ERR wrong number of arguments for '" + sub.name() + "' command");
                return;
            }
            spec = sub;
        }
        String name = spec.name();
        c.lastCommand = name;
        if (!c.authenticated && !spec.has(CommandFlag.NO_AUTH)) {
            reject(c, name, "NOAUTH Authentication required.");
            return;
        }
        if (c.protocol == 2 && c.state.subscribed() && !WHILE_SUBSCRIBED.contains(name)) {
            reject(c, name, "ERR Can't execute '" + name + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET "
                    + "are allowed in this context");
            return;
        }
        if (gateway.clients().pause.active() != null && gateway.clients().pause.holds(mayReplicate(c, spec))) {
            c.held.add(args);
            gateway.clients().pause.await(c);
            return;
        }
        if (c.state.inTransaction() && (TrackingCommands.handles(name) || name.equals("client|unblock"))) {
            // queued commands run on a backend connection other clients share: never its tracking state
            reject(c, name, "ERR gateway: CLIENT " + name.substring(7).toUpperCase(Locale.ROOT)
                    + " inside MULTI is not supported through the gateway");
            return;
        }
        if (c.state.inTransaction() && !TRANSACTION_CONTROL.contains(name)) {
            transactions.queue(c, spec, args);
            return;
        }
        if (!c.tracking.enabled) {
            dispatch(c, spec, args);
            return;
        }
        c.trackedKeys = backends.invalidations().beforeCommand(c, spec, args);
        try {
            dispatch(c, spec, args);
        } finally {
            c.trackedKeys = null;
            backends.invalidations().afterCommand(c, spec);
        }
    }

    /** Runs a checked command by its shape. */
    private void dispatch(ClientSession c, CommandSpec spec, byte[][] args) {
        String name = spec.name();
        switch (name) {
            case "multi", "exec", "discard", "watch", "unwatch" -> transactions.run(c, spec, args);
            case "subscribe", "psubscribe", "unsubscribe", "punsubscribe", "ssubscribe", "sunsubscribe" ->
                    pubsub.run(c, spec, args, slotOf(c, spec, args, true));
            case "wait" -> waits.run(c, args);
            case "ping" -> {
                if (c.state.subscribed() && c.state.pubsub != null) {
                    pubsub.run(c, spec, args, -1);
                } else {
                    local.run(c, spec, args);
                }
            }
            case "dbsize", "keys", "scan", "flushall", "flushdb", "randomkey", "script|load", "script|flush",
                 "script|exists", "script|kill", "function|load", "function|delete", "function|flush",
                 "function|restore" -> all.run(c, spec, args);
            default -> {
                if (LocalCommands.handles(name)) {
                    local.run(c, spec, args);
                } else {
                    routeByKeys(c, spec, args);
                }
            }
        }
    }

    /** A command for one slot's primary (or any primary when it has no key); split when it may be. */
    private void routeByKeys(ClientSession c, CommandSpec spec, byte[][] args) {
        String name = spec.name();
        int key = singleKey(spec, args.length);
        if (key > 0) {
            routeToSlot(c, spec, args, clustered ? SlotHash.slot(args[key]) : 0);
            return;
        }
        int[] positions = spec.keyPositions(args);
        if (positions.length > 1 && clustered && SPLITTABLE.contains(name)) {
            if (!sameSlot(args, positions)) {
                gateway.stats().split();
                split.run(c, name, args, positions, c.enqueue(name));
                return;
            }
        }
        routeToSlot(c, spec, args, slotOf(args, positions));
    }

    /**
     * The position of the one key of a command whose keys do not move with its arguments (GET, SET,
     * HSET, ...), or 0 when it has none or several: the common case, routed without a positions array.
     */
    private static int singleKey(CommandSpec spec, int argc) {
        int first = spec.firstKey();
        if (first <= 0 || first >= argc || spec.has(CommandFlag.MOVABLEKEYS)) {
            return 0;
        }
        int last = spec.lastKey() >= 0 ? spec.lastKey() : argc + spec.lastKey();
        return Math.min(last, argc - 1) == first ? first : 0;
    }

    /** Sends a checked command to the primary (or a replica) of {@code slot} (-1: key-less, {@link #CROSSSLOT}). */
    private void routeToSlot(ClientSession c, CommandSpec spec, byte[][] args, int slot) {
        String name = spec.name();
        if (slot == CROSSSLOT) {
            c.enqueue(name).failed("CROSSSLOT Keys in request don't hash to the same slot");
            return;
        }
        if (slot >= 0 && (spec.has(CommandFlag.WRITE) || spec.has(CommandFlag.MAY_REPLICATE))) {
            c.state.wrote(slot);
        }
        boolean blocking = blocking(spec, args);
        RoutedRequest request = new RoutedRequest(backends, args, slot, c.protocol, c.enqueue(name), c, blocking);
        if (slot >= 0 && !blocking && clustered && gateway.config().readFromReplicas()
                && spec.has(CommandFlag.READONLY) && !c.tracking.enabled) { // tracked reads: primaries only
            request.startOnReplica();
        } else {
            request.start();
        }
    }

    static final int CROSSSLOT = -2;

    /** The slot all keys hash to, -1 without keys, {@link #CROSSSLOT} when they differ. */
    int slotOf(ClientSession c, CommandSpec spec, byte[][] args, boolean channels) {
        return slotOf(args, spec.keyPositions(args));
    }

    private int slotOf(byte[][] args, int[] positions) {
        if (positions.length == 0) {
            return -1;
        }
        if (!clustered) {
            return 0;
        }
        int slot = SlotHash.slot(args[positions[0]]);
        for (int i = 1; i < positions.length; i++) {
            if (SlotHash.slot(args[positions[i]]) != slot) {
                return CROSSSLOT;
            }
        }
        return slot;
    }

    private static boolean sameSlot(byte[][] args, int[] positions) {
        int slot = SlotHash.slot(args[positions[0]]);
        for (int i = 1; i < positions.length; i++) {
            if (SlotHash.slot(args[positions[i]]) != slot) {
                return false;
            }
        }
        return true;
    }

    /** Whether the command may block: BLPOP and its kin, WAIT, XREAD/XREADGROUP with BLOCK. */
    static boolean blocking(CommandSpec spec, byte[][] args) {
        String name = spec.name();
        if (name.equals("wait")) {
            return true;
        }
        if (!spec.has(CommandFlag.BLOCKING)) {
            return false;
        }
        if (name.equals("xread") || name.equals("xreadgroup")) {
            for (byte[] a : args) {
                if (text(a).equalsIgnoreCase("block")) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    /** Sends a command as it is to its slot's primary; the transaction and script paths use it. */
    void forward(ClientSession c, byte[][] args, int slot, Receiver target) {
        new RoutedRequest(backends, args, slot, c.protocol, target, c, false).start();
    }

    private void reject(ClientSession c, String command, String error) {
        if (c.state.inTransaction()) {
            c.state.txnDirty = true;
        }
        c.enqueue(command).failed(error);
    }

    static String unknownCommand(byte[][] args) {
        StringBuilder sb = new StringBuilder("ERR unknown command '").append(clip(args[0]))
                .append("', with args beginning with: ");
        for (int i = 1; i < args.length && sb.length() < 128 + 60; i++) {
            sb.append('\'').append(clip(args[i])).append("' ");
        }
        return sb.toString();
    }

    static String clip(byte[] arg) {
        return new String(arg, 0, Math.min(arg.length, 128), StandardCharsets.UTF_8);
    }

    static String text(byte[] arg) {
        return new String(arg, StandardCharsets.UTF_8);
    }

    /** A writer for a reply in the client's protocol, filling a fresh buffer. */
    static RespWriter writer(ClientSession c) {
        RespWriter w = new RespWriter().target(ByteBufAllocator.DEFAULT.buffer(64));
        w.protocol(c.protocol);
        return w;
    }

    static ByteBuf integerReply(long n) {
        ByteBuf b = ByteBufAllocator.DEFAULT.buffer(24);
        b.writeByte(':').writeCharSequence(Long.toString(n), StandardCharsets.US_ASCII);
        b.writeByte('\r').writeByte('\n');
        return b;
    }

    static ByteBuf simple(String s) {
        ByteBuf b = ByteBufAllocator.DEFAULT.buffer(s.length() + 3);
        b.writeByte('+').writeCharSequence(s, StandardCharsets.UTF_8);
        b.writeByte('\r').writeByte('\n');
        return b;
    }
}
