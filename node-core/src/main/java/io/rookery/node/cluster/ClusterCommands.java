package io.rookery.node.cluster;

import io.rookery.node.client.Client;
import io.rookery.node.command.Help;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.protocol.cluster.SlotHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * CLUSTER and its subcommands, READONLY, READWRITE and ASKING, with Redis 7.0's replies and errors.
 * With cluster mode off every one answers {@code ERR This instance has cluster support disabled}, as
 * Redis does.
 */
public final class ClusterCommands {
    static final String DISABLED = "ERR This instance has cluster support disabled";

    private final Supplier<Cluster> cluster;
    private final Keyspace keyspace;

    /** @param cluster the node's cluster mode, or a supplier of null when it is off */
    public ClusterCommands(Supplier<Cluster> cluster, Keyspace keyspace) {
        this.cluster = cluster;
        this.keyspace = keyspace;
    }

    public void register(CommandRegistry r) {
        r.register("cluster|myid", on((c, a, k) -> c.reply().bulk(k.state().myself().name())))
                .register("cluster|keyslot", on((c, a, k) -> c.reply().integer(SlotHash.slot(a[2]))))
                .register("cluster|info", on((c, a, k) -> c.reply().verbatim("txt", new ClusterReplies(k).info())))
                .register("cluster|nodes", on((c, a, k) -> c.reply().verbatim("txt", NodesDescription.describe(k.state(), false))))
                .register("cluster|slots", on((c, a, k) -> new ClusterReplies(k).slots(c.reply())))
                .register("cluster|shards", on((c, a, k) -> new ClusterReplies(k).shards(c.reply())))
                .register("cluster|slot-stats", on(new SlotStatsCommand(keyspace)::execute))
                .register("cluster|addslots", on(this::addSlots))
                .register("cluster|addslotsrange", on(this::addSlotsRange))
                .register("cluster|delslots", on(this::delSlots))
                .register("cluster|delslotsrange", on(this::delSlotsRange))
                .register("cluster|flushslots", on(this::flushSlots))
                .register("cluster|setslot", on(new SetSlot()::execute))
                .register("cluster|countkeysinslot", on(this::countKeysInSlot))
                .register("cluster|getkeysinslot", on(this::getKeysInSlot))
                .register("cluster|saveconfig", on(this::saveConfig))
                .register("cluster|bumpepoch", on(this::bumpEpoch))
                .register("cluster|set-config-epoch", on(this::setConfigEpoch))
                .register("cluster|count-failure-reports", on(this::countFailureReports))
                .register("cluster|replicas", on(this::replicas))
                .register("cluster|slaves", on(this::replicas))
                .register("cluster|links", on(this::links))
                .register("cluster|meet", on(this::meet))
                .register("cluster|forget", on(this::forget))
                .register("cluster|replicate", on(this::replicate))
                .register("cluster|failover", on(this::failover))
                .register("cluster|reset", on(this::reset))
                .register("cluster|help", on((c, a, k) -> Help.reply(c.reply(), "CLUSTER", HELP)))
                .register("readonly", on((c, a, k) -> {
                    c.clusterReadOnly = true;
                    c.reply().ok();
                }))
                .register("readwrite", on((c, a, k) -> {
                    c.clusterReadOnly = false;
                    c.reply().ok();
                }))
                .register("asking", on((c, a, k) -> {
                    c.clusterAsking = true;
                    c.reply().ok();
                }));
    }

    @FunctionalInterface
    private interface ClusterHandler {
        void execute(Client c, byte[][] a, Cluster k);
    }

    private io.rookery.node.dispatch.CommandHandler on(ClusterHandler h) {
        return (c, a) -> {
            Cluster k = cluster.get();
            if (k == null) {
                throw new CommandError(DISABLED);
            }
            h.execute(c, a, k);
        };
    }

    /** A slot number argument, with Redis's error for anything else. */
    static int slot(byte[] arg) {
        long v;
        try {
            v = Long.parseLong(new String(arg, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new CommandError("ERR Invalid or out of range slot");
        }
        if (v < 0 || v >= ClusterState.SLOTS) {
            throw new CommandError("ERR Invalid or out of range slot");
        }
        return (int) v;
    }

    private void addSlots(Client c, byte[][] a, Cluster k) {
        BitSet slots = new BitSet();
        for (int i = 2; i < a.length; i++) {
            int s = slot(a[i]);
            if (k.state().owner(s) != null) {
                throw new CommandError("ERR Slot " + s + " is already busy");
            }
            if (slots.get(s)) {
                throw new CommandError("ERR Slot " + s + " specified multiple times");
            }
            slots.set(s);
        }
        assignToMyself(k, slots);
        c.reply().ok();
    }

    private void addSlotsRange(Client c, byte[][] a, Cluster k) {
        BitSet slots = ranges(a, "addslotsrange");
        for (int s = slots.nextSetBit(0); s >= 0; s = slots.nextSetBit(s + 1)) {
            if (k.state().owner(s) != null) {
                throw new CommandError("ERR Slot " + s + " is already busy");
            }
        }
        assignToMyself(k, slots);
        c.reply().ok();
    }

    private BitSet ranges(byte[][] a, String name) {
        if (a.length % 2 == 1) {
            throw new CommandError("ERR wrong number of arguments for 'cluster|" + name + "' command");
        }
        BitSet slots = new BitSet();
        for (int i = 2; i < a.length; i += 2) {
            int first = slot(a[i]);
            int last = slot(a[i + 1]);
            if (first > last) {
                throw new CommandError("ERR start slot number " + first + " is greater than end slot number " + last);
            }
            for (int s = first; s <= last; s++) {
                if (slots.get(s)) {
                    throw new CommandError("ERR Slot " + s + " specified multiple times");
                }
                slots.set(s);
            }
        }
        return slots;
    }

    private void assignToMyself(Cluster k, BitSet slots) {
        ClusterState state = k.state();
        for (int s = slots.nextSetBit(0); s >= 0; s = slots.nextSetBit(s + 1)) {
            state.importingFrom(s, null); // an imported slot is ours now
            state.assign(s, state.myself());
        }
        k.updateState();
        k.saveOrDie();
    }

    private void delSlots(Client c, byte[][] a, Cluster k) {
        BitSet slots = new BitSet();
        for (int i = 2; i < a.length; i++) {
            int s = slot(a[i]);
            if (k.state().owner(s) == null) {
                throw new CommandError("ERR Slot " + s + " is already unassigned");
            }
            if (slots.get(s)) {
                throw new CommandError("ERR Slot " + s + " specified multiple times");
            }
            slots.set(s);
        }
        unassign(k, slots);
        c.reply().ok();
    }

    private void delSlotsRange(Client c, byte[][] a, Cluster k) {
        BitSet slots = ranges(a, "delslotsrange");
        for (int s = slots.nextSetBit(0); s >= 0; s = slots.nextSetBit(s + 1)) {
            if (k.state().owner(s) == null) {
                throw new CommandError("ERR Slot " + s + " is already unassigned");
            }
        }
        unassign(k, slots);
        c.reply().ok();
    }

    private void unassign(Cluster k, BitSet slots) {
        for (int s = slots.nextSetBit(0); s >= 0; s = slots.nextSetBit(s + 1)) {
            k.state().unassign(s);
        }
        k.updateState();
        k.saveOrDie();
    }

    private void flushSlots(Client c, byte[][] a, Cluster k) {
        if (keyspace.db(0).size() != 0) {
            throw new CommandError("ERR DB must be empty to perform CLUSTER FLUSHSLOTS.");
        }
        unassign(k, k.state().myself().slots());
        c.reply().ok();
    }

    private void countKeysInSlot(Client c, byte[][] a, Cluster k) {
        long slot = Args.integer(a[2]);
        if (slot < 0 || slot >= ClusterState.SLOTS) {
            throw new CommandError("ERR Invalid slot");
        }
        c.reply().integer(k.keysBySlot().count((int) slot));
    }

    private void getKeysInSlot(Client c, byte[][] a, Cluster k) {
        long slot = Args.integer(a[2]);
        long max = Args.integer(a[3]);
        if (slot < 0 || slot >= ClusterState.SLOTS || max < 0) {
            throw new CommandError("ERR Invalid slot or number of keys");
        }
        List<byte[]> keys = k.keysBySlot().keys((int) slot, max);
        c.reply().array(keys.size());
        keys.forEach(c.reply()::bulk);
    }

    private void saveConfig(Client c, byte[][] a, Cluster k) {
        try {
            k.save();
        } catch (IOException e) {
            throw new CommandError("ERR error saving the cluster node config: " + e.getMessage());
        }
        c.reply().ok();
    }

    /** A new config epoch for myself without consensus, unless mine is already the one and only highest. */
    private void bumpEpoch(Client c, byte[][] a, Cluster k) {
        boolean bumped = bumpWithoutConsensus(k);
        c.reply().simple((bumped ? "BUMPED " : "STILL ") + k.state().myself().configEpoch());
    }

    /** Redis's clusterBumpConfigEpochWithoutConsensus; true when the epoch changed. */
    static boolean bumpWithoutConsensus(Cluster k) {
        ClusterState s = k.state();
        ClusterNode me = s.myself();
        long max = s.maxConfigEpoch();
        if (me.configEpoch == 0 || me.configEpoch != max) {
            s.currentEpoch++;
            me.configEpoch = s.currentEpoch;
            k.saveOrDie();
            return true;
        }
        return false;
    }

    private void setConfigEpoch(Client c, byte[][] a, Cluster k) {
        long epoch = Args.integer(a[2]);
        ClusterState s = k.state();
        if (epoch < 0) {
            throw new CommandError("ERR Invalid config epoch specified: " + epoch);
        }
        if (s.nodes().size() > 1) {
            throw new CommandError("ERR The user can assign a config epoch only when the node does not know any other node.");
        }
        if (s.myself().configEpoch != 0) {
            throw new CommandError("ERR Node config epoch is already non-zero");
        }
        s.myself().configEpoch = epoch;
        s.currentEpoch = Math.max(s.currentEpoch, epoch);
        k.updateState();
        k.saveOrDie();
        c.reply().ok();
    }

    /** CLUSTER LINKS: every bus link bound to a node, outbound ("to") and inbound ("from"). */
    private void links(Client c, byte[][] a, Cluster k) {
        java.util.List<BusLink> links = new java.util.ArrayList<>();
        for (ClusterNode n : k.state().nodes()) {
            if (n.isMyself()) {
                continue;
            }
            if (n.link != null) {
                links.add(n.link);
            }
            if (n.inboundLink != null) {
                links.add(n.inboundLink);
            }
        }
        c.reply().array(links.size());
        for (BusLink link : links) {
            c.reply().map(6);
            c.reply().bulk("direction");
            c.reply().bulk(link.inbound ? "from" : "to");
            c.reply().bulk("node");
            c.reply().bulk(link.node.name());
            c.reply().bulk("create-time");
            c.reply().integer(link.createdAt);
            c.reply().bulk("events");
            c.reply().bulk(link.events());
            c.reply().bulk("send-buffer-allocated");
            c.reply().integer(link.sendBufferAllocated());
            c.reply().bulk("send-buffer-used");
            c.reply().integer(link.sendBufferUsed());
        }
    }

    private void meet(Client c, byte[][] a, Cluster k) {
        if (a.length > 5) {
            throw new CommandError("ERR unknown subcommand or wrong number of arguments for 'meet'. Try CLUSTER HELP.");
        }
        String ip = new String(a[2], StandardCharsets.US_ASCII);
        long port;
        long cport;
        try {
            port = Long.parseLong(new String(a[3], StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new CommandError("ERR Invalid base port specified: " + new String(a[3], StandardCharsets.ISO_8859_1));
        }
        try {
            cport = a.length == 5 ? Long.parseLong(new String(a[4], StandardCharsets.US_ASCII)) : port + 10000;
        } catch (NumberFormatException e) {
            throw new CommandError("ERR Invalid bus port specified: " + new String(a[4], StandardCharsets.ISO_8859_1));
        }
        boolean validIp = io.netty.util.NetUtil.isValidIpV4Address(ip) || io.netty.util.NetUtil.isValidIpV6Address(ip);
        if (!validIp || port <= 0 || port > 65535 || cport <= 0 || cport > 65535) {
            throw new CommandError("ERR Invalid node address specified: " + ip + ":" + new String(a[3], StandardCharsets.ISO_8859_1));
        }
        String normalized = io.netty.util.NetUtil.bytesToIpAddress(io.netty.util.NetUtil.createByteArrayFromIpAddressString(ip));
        k.meet(normalized, (int) port, (int) cport);
        c.reply().ok();
    }

    private void forget(Client c, byte[][] a, Cluster k) {
        ClusterNode n = known(k, a[2]);
        ClusterNode me = k.state().myself();
        if (n == me) {
            throw new CommandError("ERR I tried hard but I can't forget myself...");
        }
        if (me.isReplica() && me.primary() == n) {
            throw new CommandError("ERR Can't forget my master!");
        }
        k.forget(n);
        c.reply().ok();
    }

    private void replicate(Client c, byte[][] a, Cluster k) {
        ClusterNode n = known(k, a[2]);
        ClusterNode me = k.state().myself();
        if (n == me) {
            throw new CommandError("ERR Can't replicate myself");
        }
        if (n.isReplica()) {
            throw new CommandError("ERR I can only replicate a master, not a replica.");
        }
        if (me.isPrimary() && (me.slotCount() != 0 || keyspace.db(0).size() != 0)) {
            throw new CommandError("ERR To set a master the node must be empty and without assigned slots.");
        }
        k.replicate(n);
        c.reply().ok();
    }

    /**
     * CLUSTER FAILOVER [FORCE|TAKEOVER]: the plain form asks the primary to pause and takes over once
     * caught up ({@link ManualFailover}); FORCE takes over without the primary; TAKEOVER without a vote.
     */
    private void failover(Client c, byte[][] a, Cluster k) {
        boolean force = false;
        boolean takeover = false;
        if (a.length == 3) {
            String option = new String(a[2], StandardCharsets.US_ASCII);
            if (option.equalsIgnoreCase("force")) {
                force = true;
            } else if (option.equalsIgnoreCase("takeover")) {
                takeover = true;
                force = true;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        } else if (a.length > 3) {
            throw new CommandError(Errors.SYNTAX);
        }
        ClusterNode me = k.state().myself();
        if (me.isPrimary()) {
            throw new CommandError("ERR You should send CLUSTER FAILOVER to a replica");
        }
        if (me.primary() == null) {
            throw new CommandError("ERR I'm a replica but my master is unknown to me");
        }
        if (!force && (me.primary().has(ClusterNode.FAIL) || me.primary().link == null)) {
            throw new CommandError("ERR Master is down or failed, please use CLUSTER FAILOVER FORCE");
        }
        k.failover(force, takeover);
        c.reply().ok();
    }

    private void reset(Client c, byte[][] a, Cluster k) {
        boolean hard = false;
        if (a.length == 3) {
            String mode = new String(a[2], StandardCharsets.US_ASCII);
            if (mode.equalsIgnoreCase("hard")) {
                hard = true;
            } else if (!mode.equalsIgnoreCase("soft")) {
                throw new CommandError(Errors.SYNTAX);
            }
        } else if (a.length > 3) {
            throw new CommandError(Errors.SYNTAX);
        }
        if (k.state().myself().isPrimary() && keyspace.db(0).size() != 0) {
            throw new CommandError("ERR CLUSTER RESET can't be called with master nodes containing keys");
        }
        k.reset(hard);
        c.reply().ok();
    }

    private void countFailureReports(Client c, byte[][] a, Cluster k) {
        ClusterNode n = known(k, a[2]);
        c.reply().integer(n.failReports.size());
    }

    private void replicas(Client c, byte[][] a, Cluster k) {
        ClusterNode n = known(k, a[2]);
        if (n.isReplica()) {
            throw new CommandError("ERR The specified node is not a master");
        }
        List<ClusterNode> replicas = n.replicas();
        c.reply().array(replicas.size());
        for (ClusterNode r : replicas) {
            c.reply().bulk(NodesDescription.line(k.state(), r));
        }
    }

    static ClusterNode known(Cluster k, byte[] name) {
        ClusterNode n = k.state().node(new String(name, StandardCharsets.ISO_8859_1));
        if (n == null) {
            throw new CommandError("ERR Unknown node " + new String(name, StandardCharsets.ISO_8859_1));
        }
        return n;
    }

    /** CLUSTER SETSLOT slot IMPORTING node | MIGRATING node | STABLE | NODE node. */
    private final class SetSlot {
        void execute(Client c, byte[][] a, Cluster k) {
            ClusterState s = k.state();
            if (s.myself().isReplica()) {
                throw new CommandError("ERR Please use SETSLOT only with masters.");
            }
            int slot = slot(a[2]);
            String action = new String(a[3], StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
            switch (action) {
                case "migrating" -> {
                    requireArgs(a, 5);
                    if (s.owner(slot) != s.myself()) {
                        throw new CommandError("ERR I'm not the owner of hash slot " + slot);
                    }
                    ClusterNode target = lookup(k, a[4]);
                    if (target.isReplica()) {
                        throw new CommandError("ERR Target node is not a master");
                    }
                    s.migratingTo(slot, target);
                }
                case "importing" -> {
                    requireArgs(a, 5);
                    if (s.owner(slot) == s.myself()) {
                        throw new CommandError("ERR I'm already the owner of hash slot " + slot);
                    }
                    ClusterNode source = lookup(k, a[4]);
                    if (source.isReplica()) {
                        throw new CommandError("ERR Target node is not a master");
                    }
                    s.importingFrom(slot, source);
                }
                case "stable" -> {
                    requireArgs(a, 4);
                    s.migratingTo(slot, null);
                    s.importingFrom(slot, null);
                }
                case "node" -> {
                    requireArgs(a, 5);
                    ClusterNode n = s.node(new String(a[4], StandardCharsets.ISO_8859_1));
                    if (n == null) {
                        throw new CommandError("ERR Unknown node " + new String(a[4], StandardCharsets.ISO_8859_1));
                    }
                    if (n.isReplica()) {
                        throw new CommandError("ERR Target node is not a master");
                    }
                    if (s.owner(slot) == s.myself() && n != s.myself() && k.keysBySlot().count(slot) != 0) {
                        throw new CommandError("ERR Can't assign hashslot " + slot
                                + " to a different node while I still hold keys for this hash slot.");
                    }
                    if (k.keysBySlot().count(slot) == 0 && s.migratingTo(slot) != null) {
                        s.migratingTo(slot, null);
                    }
                    boolean finishedImport = n == s.myself() && s.importingFrom(slot) != null;
                    s.assign(slot, n);
                    if (finishedImport) {
                        s.importingFrom(slot, null);
                        bumpWithoutConsensus(k); // the slot must win over the old owner's claim
                    }
                }
                default -> throw new CommandError("ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP");
            }
            k.updateState();
            k.saveOrDie();
            c.reply().ok();
        }

        private void requireArgs(byte[][] a, int n) {
            if (a.length != n) {
                throw new CommandError("ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP");
            }
        }

        private ClusterNode lookup(Cluster k, byte[] name) {
            ClusterNode n = k.state().node(new String(name, StandardCharsets.ISO_8859_1));
            if (n == null) {
                throw new CommandError("ERR I don't know about node " + new String(name, StandardCharsets.ISO_8859_1));
            }
            return n;
        }
    }

    private static final String[] HELP = {
        "ADDSLOTS <slot> [<slot> ...]", "    Assign slots to current node.",
        "ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
        "    Assign slots which are between <start-slot> and <end-slot> to current node.",
        "BUMPEPOCH", "    Advance the cluster config epoch.",
        "COUNT-FAILURE-REPORTS <node-id>", "    Return number of failure reports for <node-id>.",
        "COUNTKEYSINSLOT <slot>", "    Return the number of keys in <slot>.",
        "DELSLOTS <slot> [<slot> ...]", "    Delete slots information from current node.",
        "DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
        "    Delete slots information which are between <start-slot> and <end-slot>.",
        "FAILOVER [FORCE|TAKEOVER]", "    Promote current replica node to being a master.",
        "FORGET <node-id>", "    Remove a node from the cluster.",
        "GETKEYSINSLOT <slot> <count>", "    Return key names stored by current node in a slot.",
        "FLUSHSLOTS", "    Delete current node own slots information.",
        "INFO", "    Return information about the cluster.",
        "KEYSLOT <key>", "    Return the hash slot for <key>.",
        "MEET <ip> <port> [<bus-port>]", "    Connect nodes into a working cluster.",
        "MYID", "    Return the node id.",
        "NODES", "    Return cluster configuration seen by node. Output format:",
        "    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
        "REPLICATE <node-id>", "    Configure current node as replica to <node-id>.",
        "RESET [HARD|SOFT]", "    Reset current node (default: soft).",
        "SET-CONFIG-EPOCH <epoch>", "    Set config epoch of current node.",
        "SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)", "    Set slot state.",
        "REPLICAS <node-id>", "    Return <node-id> replicas.",
        "SAVECONFIG", "    Force saving cluster configuration on disk.",
        "SLOTS", "    Return information about slots range mappings. Each range is made of:",
        "    start, end, master and replicas IP addresses, ports and ids",
        "SLOT-STATS", "    Return an array of slot usage statistics for slots assigned to the current node.",
        "SHARDS", "    Return information about slot range mappings and the nodes associated with them.",
        "LINKS", "    Return information about all network links between this node and its peers.",
        "    Output format is an array where each array element is a map containing attributes of a link",
    };
}
