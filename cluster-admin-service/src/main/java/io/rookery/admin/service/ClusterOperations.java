package io.rookery.admin.service;

import io.rookery.admin.cluster.ClusterConnections;
import io.rookery.admin.cluster.ClusterHandle;
import io.rookery.admin.cluster.ClusterReader;
import io.rookery.admin.cluster.ClusterSnapshot;
import io.rookery.admin.cluster.Credentials;
import io.rookery.admin.cluster.HealthCheck;
import io.rookery.admin.cluster.NodeAddress;
import io.rookery.admin.cluster.NodeConnector;
import io.rookery.admin.cluster.NodeState;
import io.rookery.admin.cluster.SlotStatsReader;
import io.rookery.admin.cluster.TopologyBuilder;
import io.rookery.admin.job.Job;
import io.rookery.admin.job.JobExecutor;
import io.rookery.admin.job.JobParams;
import io.rookery.admin.job.JobState;
import io.rookery.admin.job.JobStep;
import io.rookery.admin.job.JobStore;
import io.rookery.admin.job.PlanSteps;
import io.rookery.admin.job.StepKind;
import io.rookery.admin.plan.AddNodePlanner;
import io.rookery.admin.plan.ClusterNode;
import io.rookery.admin.plan.DrainPlanner;
import io.rookery.admin.plan.FixPlanner;
import io.rookery.admin.plan.LoadMetric;
import io.rookery.admin.plan.LoadRebalanceOptions;
import io.rookery.admin.plan.LoadRebalancePlanner;
import io.rookery.admin.plan.ReshardPlanner;
import io.rookery.admin.plan.ClusterTopology;
import io.rookery.admin.plan.CreatePlanner;
import io.rookery.admin.plan.Plan;
import io.rookery.admin.plan.PlanRejectedException;
import io.rookery.admin.plan.RebalanceOptions;
import io.rookery.admin.plan.RebalancePlanner;
import io.rookery.admin.plan.SlotLoads;
import io.rookery.admin.plan.SlotRange;
import io.rookery.admin.plan.Throttle;
import io.rookery.admin.service.ApiModels.AddNodeRequest;
import io.rookery.admin.service.ApiModels.ClusterSummary;
import io.rookery.admin.service.ApiModels.FixRequest;
import io.rookery.admin.service.ApiModels.RemoveNodeRequest;
import io.rookery.admin.service.ApiModels.ReshardRequest;
import io.rookery.admin.service.ApiModels.CreateRequest;
import io.rookery.admin.service.ApiModels.DryRun;
import io.rookery.admin.service.ApiModels.FailoverRequest;
import io.rookery.admin.service.ApiModels.JobOptions;
import io.rookery.admin.service.ApiModels.NodeView;
import io.rookery.admin.service.ApiModels.RebalanceRequest;
import io.rookery.admin.service.ApiModels.RegisterRequest;
import io.rookery.admin.service.ApiModels.SlotOwnerRange;
import io.rookery.admin.service.ApiModels.TopologyView;
import io.rookery.admin.store.JdbcClusterRegistry;
import io.rookery.admin.store.ManagedCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.ObjectMapper;

/**
 * What the REST side asks of the service, in plain calls: managed clusters, their topology and health,
 * and every change as a job — read the cluster into a snapshot, ask a planner, then either show the
 * plan (dry run) or store it as a job and start it. The executor re-reads nothing of the plan: a dry
 * run on an unchanged cluster shows exactly the moves the job then makes.
 */
class ClusterOperations {
    private final JdbcClusterRegistry registry;
    private final ClusterHandles handles;
    private final JobStore store;
    private final JobExecutor executor;
    private final NodeConnector connector;
    private final ObjectMapper json;

    ClusterOperations(JdbcClusterRegistry registry, ClusterHandles handles, JobStore store, JobExecutor executor,
                      NodeConnector connector, ObjectMapper json) {
        this.registry = registry;
        this.handles = handles;
        this.store = store;
        this.executor = executor;
        this.connector = connector;
        this.json = json;
    }

    // ---- managed clusters ------------------------------------------------------------------------

    /** Registers a running cluster (adopt): it must answer CLUSTER NODES through one of its seeds. */
    ClusterSummary register(RegisterRequest r) {
        ManagedCluster c = new ManagedCluster(requireName(r.name()), seeds(r.seeds()), new Credentials(r.user(), r.password()),
                Instant.now());
        try (ClusterConnections probe = new ClusterConnections(connector, c.credentials())) {
            new ClusterReader(probe).read(c.seeds());
        }
        if (!registry.add(c)) {
            throw new ConflictException("a cluster named '" + c.name() + "' is already managed");
        }
        return summary(c);
    }

    List<ClusterSummary> clusters() {
        return registry.all().stream().map(this::summary).toList();
    }

    ClusterSummary cluster(String name) {
        return summary(registry.find(name).orElseThrow(() -> new ClusterHandles.UnknownClusterException(name)));
    }

    /** Stops managing a cluster (the cluster itself is untouched); refused while one of its jobs is active. */
    void unregister(String name) {
        cluster(name);
        activeJob(name).ifPresent(j -> {
            throw new ConflictException("cluster '" + name + "' has job " + j.id() + " " + j.state().name().toLowerCase());
        });
        registry.remove(name);
        handles.invalidate(name);
    }

    private ClusterSummary summary(ManagedCluster c) {
        return new ClusterSummary(c.name(), c.seeds().stream().map(NodeAddress::toString).toList(), c.credentials().user(),
                c.credentials().maskedPassword(), c.createdAt(), store.leaseHolder(c.name()).orElse(null));
    }

    // ---- topology ---------------------------------------------------------------------------------

    TopologyView topology(String name) {
        ClusterSnapshot s = handles.get(name).refresh();
        return view(name, s);
    }

    static TopologyView view(String name, ClusterSnapshot s) {
        List<NodeView> nodes = s.nodes().stream().map(n -> new NodeView(n.id(), String.valueOf(n.address()),
                n.self().primary() ? "primary" : n.self().replica() ? "replica" : "unknown", n.self().primaryId(),
                List.copyOf(n.self().flags()), n.self().linkState(),
                n.self().slotRanges().stream().map(SlotRange::toString).toList(), n.self().slotCount(),
                n.self().migrating(), n.self().importing(), n.self().configEpoch(), n.replicationOffset(),
                n.usedMemory(), n.opsPerSecond(), n.reached(), n.error())).toList();
        String[] owners = s.owners();
        List<SlotOwnerRange> map = new ArrayList<>();
        int start = 0;
        for (int slot = 1; slot <= 16384; slot++) {
            if (slot == 16384 || !java.util.Objects.equals(owners[slot], owners[start])) {
                if (owners[start] != null) {
                    String owner = owners[start];
                    map.add(new SlotOwnerRange(new SlotRange(start, slot - 1).toString(), slot - start, owner,
                            s.node(owner).map(n -> String.valueOf(n.address())).orElse(null)));
                }
                start = slot;
            }
        }
        BitSet uncovered = new BitSet(16384);
        uncovered.set(0, 16384);
        uncovered.andNot(s.covered());
        return new TopologyView(name, s.readAt(), HealthCheck.judge(s), nodes, map, s.openSlots(), s.covered().cardinality(),
                SlotRange.compress(uncovered).stream().map(SlotRange::toString).toList());
    }

    /** The live handle of a managed cluster. */
    ClusterHandle planningHandle(String name) {
        return handles.get(name);
    }

    /** The planners' snapshot of a managed cluster, with per-slot figures. */
    ClusterTopology planningTopology(ClusterHandle h) {
        ClusterSnapshot s = h.refresh();
        SlotLoads loads = SlotStatsReader.read(s, h.connections());
        return TopologyBuilder.build(s, loads, h.connections());
    }

    // ---- jobs -------------------------------------------------------------------------------------

    /** Creates a cluster from empty nodes: registers it (seeded with every node) and plans the creation. */
    Object create(CreateRequest r, boolean dryRun) {
        String name = requireName(r.name());
        List<NodeAddress> nodes = seeds(r.nodes());
        Credentials credentials = new Credentials(r.user(), r.password());
        ClusterTopology topology;
        try (ClusterConnections probe = new ClusterConnections(connector, credentials)) {
            ClusterSnapshot s = new ClusterReader(probe).read(nodes);
            for (NodeState n : s.nodes()) {
                if (n.reached() && (n.view().size() > 1 || n.info().containsKey("db0"))) {
                    // redis-cli's clusterManagerNodeIsEmpty, in its words
                    throw new PlanRejectedException("[ERR] Node " + n.address() + " is not empty. Either the node "
                            + "already knows other nodes (check with CLUSTER NODES) or contains some key in database 0.");
                }
            }
            List<ClusterNode> ordered = new ArrayList<>();
            ClusterTopology all = TopologyBuilder.build(s, SlotLoads.none(), null);
            for (NodeAddress a : nodes) {
                ordered.add(all.nodes().stream().filter(n -> n.host().equals(a.host()) && n.port() == a.port()).findFirst()
                        .orElseThrow(() -> new PlanRejectedException("[ERR] Node " + a + " is not reachable or not in cluster mode")));
            }
            topology = ClusterTopology.of(ordered);
        }
        Plan plan = new CreatePlanner().plan(topology.nodes(), r.replicas() == null ? 0 : r.replicas());
        JobParams params = JobOptions.of(r.options());
        if (dryRun) {
            return dryRun(plan, PlanSteps.of(plan), params);
        }
        if (!registry.add(new ManagedCluster(name, nodes, credentials, Instant.now()))) {
            throw new ConflictException("a cluster named '" + name + "' is already managed");
        }
        return submit(name, "create", "create " + name + " from " + nodes.size() + " nodes with " + r.replicas()
                + " replicas per primary", plan, PlanSteps.of(plan), params);
    }

    /** Rebalance by slot count (redis-cli's arithmetic) or, with a metric, by load. */
    Object rebalance(String name, RebalanceRequest r, boolean dryRun) {
        ClusterHandle h = handles.get(name);
        ClusterTopology t = planningTopology(h);
        boolean useEmpty = r.useEmptyPrimaries() != null && r.useEmptyPrimaries();
        if (r.metric() != null && !r.metric().isBlank()) {
            LoadMetric metric;
            try {
                metric = LoadMetric.valueOf(r.metric().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new PlanRejectedException("unknown metric " + r.metric() + "; one of "
                        + java.util.Arrays.toString(LoadMetric.values()));
            }
            if (!t.loads().isMeasured(metric)) {
                throw new PlanRejectedException("the cluster does not report " + metric + " per slot (measured: "
                        + t.loads().measured() + "); CLUSTER SLOT-STATS gives every figure, real Redis 7.0 only keys");
            }
            LoadRebalanceOptions o = LoadRebalanceOptions.of(metric).withUseEmptyPrimaries(r.useEmptyPrimaries() == null
                    || r.useEmptyPrimaries());
            if (r.maxSlotsMoved() != null) {
                o = o.withMaxSlotsMoved(r.maxSlotsMoved());
            }
            if (r.tolerance() != null) {
                o = o.withTolerance(r.tolerance());
            }
            Plan plan = new LoadRebalancePlanner().plan(t, o);
            return planned(name, "rebalance", "rebalance by load (" + metric + ")", plan, JobOptions.of(r.options()),
                    dryRun);
        }
        RebalanceOptions o = new RebalanceOptions(r.weights(),
                r.threshold() == null ? RebalanceOptions.DEFAULT_THRESHOLD : r.threshold(), useEmpty);
        Plan plan = new RebalancePlanner().plan(t, o);
        return planned(name, "rebalance", "rebalance by slot count", plan, JobOptions.of(r.options()), dryRun);
    }

    /** Move a number of slots from sources (or all) to a target, or the given ranges from their owners. */
    Object reshard(String name, ReshardRequest r, boolean dryRun) {
        ClusterHandle h = handles.get(name);
        ClusterTopology t = planningTopology(h);
        if (r.to() == null) {
            throw new PlanRejectedException("name the target primary (to)");
        }
        Plan plan;
        if (r.ranges() != null && !r.ranges().isEmpty()) {
            List<SlotRange> ranges = new ArrayList<>();
            for (String text : r.ranges()) {
                int dash = text.indexOf('-');
                try {
                    int first = Integer.parseInt((dash < 0 ? text : text.substring(0, dash)).trim());
                    ranges.add(new SlotRange(first, dash < 0 ? first : Integer.parseInt(text.substring(dash + 1).trim())));
                } catch (IllegalArgumentException e) {
                    throw new PlanRejectedException("not a slot range: " + text);
                }
            }
            plan = new ReshardPlanner().planRanges(t, r.to(), ranges);
        } else {
            if (r.slots() == null) {
                throw new PlanRejectedException("give the number of slots to move (slots) or the slot ranges (ranges)");
            }
            plan = new ReshardPlanner().plan(t, r.to(), r.from(), r.slots());
        }
        return planned(name, "reshard", "reshard " + plan.moves().size() + " slots to " + r.to(), plan,
                JobOptions.of(r.options()), dryRun);
    }

    /** Add an empty node as a primary, or as a replica of a given primary (or the one with fewest replicas). */
    Object addNode(String name, AddNodeRequest r, boolean dryRun) {
        ClusterHandle h = handles.get(name);
        if (r.address() == null) {
            throw new PlanRejectedException("give the new node's address (host:port)");
        }
        NodeAddress address;
        try {
            address = NodeAddress.parse(r.address());
        } catch (IllegalArgumentException e) {
            throw new PlanRejectedException(e.getMessage());
        }
        ClusterTopology t = planningTopology(h);
        ClusterNode newNode;
        try (ClusterConnections probe = new ClusterConnections(connector, h.credentials())) {
            ClusterSnapshot alone = new ClusterReader(probe).read(List.of(address));
            newNode = TopologyBuilder.build(alone, SlotLoads.none(), probe).nodes().stream()
                    .filter(n -> n.host().equals(address.host()) && n.port() == address.port()).findFirst()
                    .orElseThrow(() -> new PlanRejectedException("[ERR] Node " + address + " is not reachable"));
        }
        boolean replica = r.role() != null && r.role().equalsIgnoreCase("replica");
        Plan plan = replica ? new AddNodePlanner().asReplica(t, newNode, r.primaryId())
                : new AddNodePlanner().asPrimary(t, newNode);
        if (!dryRun) { // the job sends the MEET to the new node: it must be reachable by id
            List<NodeAddress> seeds = new ArrayList<>(h.seeds());
            if (!seeds.contains(address)) {
                seeds.add(address);
                handles.updateSeeds(name, seeds);
            }
        }
        return planned(name, "add-node", "add " + address + (replica ? " as a replica" : " as a primary"), plan,
                JobOptions.of(r.options()), dryRun);
    }

    /** Remove a node: a primary is drained of its slots first, then the node is forgotten everywhere and reset. */
    Object removeNode(String name, String nodeId, RemoveNodeRequest r, boolean dryRun) {
        ClusterHandle h = handles.get(name);
        ClusterTopology t = planningTopology(h);
        ClusterNode node = t.requireNode(nodeId);
        Plan plan = new DrainPlanner().plan(t, nodeId, r == null ? Map.of() : r.weights());
        Object result = planned(name, "remove-node", "remove " + node.endpoint() + " (" + nodeId + ")", plan,
                JobOptions.of(r == null ? null : r.options()), dryRun);
        if (!dryRun) {
            List<NodeAddress> seeds = new ArrayList<>(h.seeds());
            seeds.remove(new NodeAddress(node.host(), node.port()));
            if (seeds.isEmpty()) {
                t.nodes().stream().filter(n -> !n.id().equals(nodeId)).map(n -> new NodeAddress(n.host(), n.port()))
                        .forEach(seeds::add);
            }
            handles.updateSeeds(name, seeds);
        }
        return result;
    }

    /** Close open slots and assign uncovered ones, as redis-cli --cluster fix does. */
    Object fix(String name, FixRequest r, boolean dryRun) {
        ClusterHandle h = handles.get(name);
        ClusterTopology t = planningTopology(h);
        Plan plan = new FixPlanner().plan(t, r != null && Boolean.TRUE.equals(r.withUnreachablePrimaries()));
        return planned(name, "fix", "fix " + t.openSlots().size() + " open and " + t.uncoveredSlots().size()
                + " uncovered slots", plan, JobOptions.of(r == null ? null : r.options()), dryRun);
    }

    /** Manual failover of a primary to a named replica or its best one (healthy, highest replication offset). */
    Object failover(String name, FailoverRequest r, boolean dryRun) {
        ClusterHandle h = handles.get(name);
        ClusterSnapshot s = h.refresh();
        String mode = r.mode() == null || r.mode().isBlank() ? "" : r.mode().toUpperCase(java.util.Locale.ROOT);
        if (!mode.isEmpty() && !mode.equals("FORCE") && !mode.equals("TAKEOVER")) {
            throw new PlanRejectedException("mode must be FORCE or TAKEOVER (or none)");
        }
        NodeState replica;
        if (r.replicaId() != null) {
            replica = s.node(r.replicaId()).orElseThrow(() -> new PlanRejectedException("[ERR] No such node ID " + r.replicaId()));
            if (!replica.self().replica()) {
                throw new PlanRejectedException("node " + r.replicaId() + " is not a replica");
            }
        } else if (r.primaryId() != null) {
            replica = s.replicasOf(r.primaryId()).stream().filter(NodeState::reached).filter(n -> !n.self().failing())
                    .max(Comparator.comparingLong(NodeState::replicationOffset))
                    .orElseThrow(() -> new PlanRejectedException("primary " + r.primaryId() + " has no reachable replica"));
        } else {
            throw new PlanRejectedException("name the replica (replicaId) or the primary (primaryId) to fail over");
        }
        List<JobStep> steps = List.of(JobStep.of(StepKind.FAILOVER, -1, replica.id(), replica.self().primaryId(), mode),
                JobStep.of(StepKind.AWAIT_CONSISTENT, -1, null, null, null));
        String description = "failover of " + replica.self().primaryId() + " to " + replica.id()
                + (mode.isEmpty() ? "" : " (" + mode + ")");
        Map<String, Object> plan = Map.of("kind", "FAILOVER", "replicaId", replica.id(), "primaryId",
                String.valueOf(replica.self().primaryId()), "mode", mode);
        if (dryRun) {
            return new DryRun(plan, steps.stream().map(JobStep::describe).toList(), 0, JobParams.DEFAULTS);
        }
        return submitRaw(name, "failover", description, json.writeValueAsString(plan), steps, JobParams.DEFAULTS);
    }

    Object planned(String name, String kind, String description, Plan plan, JobParams params, boolean dryRun) {
        List<JobStep> steps = PlanSteps.of(plan);
        if (dryRun) {
            return dryRun(plan, steps, params);
        }
        return submit(name, kind, description, plan, steps, params);
    }

    private DryRun dryRun(Plan plan, List<JobStep> steps, JobParams params) {
        Duration eta = plan.estimatedDuration(new Throttle(params.keysPerSecond(), params.bytesPerSecond()));
        return new DryRun(plan, steps.stream().map(JobStep::describe).toList(), eta.toMillis(), params);
    }

    private Job submit(String name, String kind, String description, Plan plan, List<JobStep> steps, JobParams params) {
        return submitRaw(name, kind, description, json.writeValueAsString(plan), steps, params);
    }

    private synchronized Job submitRaw(String name, String kind, String description, String planJson, List<JobStep> steps,
                                       JobParams params) {
        activeJob(name).ifPresent(j -> {
            throw new ConflictException("cluster '" + name + "' has job " + j.id() + " " + j.state().name().toLowerCase()
                    + "; finish or cancel it first");
        });
        Job job = store.create(new Job(0, name, kind, description, JobState.PENDING, params, planJson, Instant.now(), null,
                null, null), steps);
        store.log(job.id(), "INFO", "job created: " + description + " (" + steps.size() + " steps)");
        executor.start(job.id());
        return store.job(job.id()).orElseThrow();
    }

    private java.util.Optional<Job> activeJob(String name) {
        return store.jobs(name).stream().filter(j -> j.state() == JobState.RUNNING || j.state() == JobState.PENDING
                || j.state() == JobState.PAUSED).findFirst();
    }

    private static String requireName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new PlanRejectedException("a cluster name is 1-100 letters, digits, '.', '_' or '-'");
        }
        return name;
    }

    private static List<NodeAddress> seeds(List<String> text) {
        if (text == null || text.isEmpty()) {
            throw new PlanRejectedException("at least one node address (host:port) is needed");
        }
        try {
            return text.stream().map(NodeAddress::parse).distinct().collect(Collectors.toList());
        } catch (IllegalArgumentException e) {
            throw new PlanRejectedException(e.getMessage());
        }
    }

    /** A request that conflicts with the current state (REST: 409). */
    static final class ConflictException extends RuntimeException {
        ConflictException(String message) {
            super(message);
        }
    }
}
