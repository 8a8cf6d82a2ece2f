package io.rookery.admin.service;

import io.rookery.admin.cluster.ClusterConnections;
import io.rookery.admin.cluster.ClusterReader;
import io.rookery.admin.cluster.ClusterSnapshot;
import io.rookery.admin.cluster.Credentials;
import io.rookery.admin.cluster.DeclaredTopology;
import io.rookery.admin.cluster.DeclaredTopologyCheck;
import io.rookery.admin.cluster.DeclaredTopologyCheck.Verdict;
import io.rookery.admin.cluster.NodeAddress;
import io.rookery.admin.cluster.NodeCommandException;
import io.rookery.admin.cluster.NodeConnector;
import io.rookery.admin.job.Job;
import io.rookery.admin.job.JobState;
import io.rookery.admin.job.JobStore;
import io.rookery.admin.job.JobExecutor;
import io.rookery.admin.service.ApiModels.CreateRequest;
import io.rookery.admin.service.ApiModels.RegisterRequest;
import io.rookery.admin.store.JdbcClusterRegistry;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.SmartLifecycle;

/**
 * Brings the declared cluster ({@code rookery.admin.topology.*}) about once the service has started, on a thread
 * of its own, and says where it stands ({@link #status()}, the {@code declaredTopology} health indicator, which the
 * readiness group includes):
 * <ul>
 * <li>it reads the declared nodes every {@code retry-interval} until they all answer, for at most
 * {@code wait-timeout};</li>
 * <li>all empty: it creates the cluster through {@link ClusterOperations#create} — the same persisted, visible job
 * as {@code POST /api/v1/clusters/create} — and waits for the job;</li>
 * <li>already the declared cluster (a restart): it does nothing but register the cluster when this service's
 * database does not know it yet (adopt, as {@code POST /api/v1/clusters});</li>
 * <li>partly formed, part of another cluster, or formed in another shape: it touches nothing, and reports why
 * (CONFLICT) in the status, the health and the log.</li>
 * </ul>
 * A create job a previous process left running is waited for, not started again. Ready (UP) once the declared
 * cluster is formed and healthy; from then on the managed-cluster health ({@link ClusterWatcher}) follows it.
 */
class DeclaredTopologyBootstrap implements SmartLifecycle, HealthIndicator {
    private static final Logger LOG = LoggerFactory.getLogger(DeclaredTopologyBootstrap.class);
    /** The kind {@link ClusterOperations#create} gives its jobs. */
    private static final String CREATE = "create";

    /** Where the declared cluster stands. */
    enum State {
        /** No topology declared: nothing to do. */
        NONE,
        /** Reading the declared nodes until they answer and the cluster is healthy. */
        WAITING,
        /** The create job runs. */
        CREATING,
        /** The declared cluster is formed and healthy. */
        READY,
        /** The nodes are in a state the service leaves alone (partly formed, another cluster, another shape). */
        CONFLICT,
        /** The nodes did not come within the wait timeout, the declaration is invalid, or the create job failed. */
        FAILED
    }

    /** {@code GET /api/v1/declared-topology}. */
    record DeclaredTopologyStatus(String cluster, List<String> nodes, int replicasPerPrimary, State state, String reason,
                                  Long jobId, Instant since) {
    }

    private final DeclaredTopologyProperties properties;
    private final ClusterOperations operations;
    private final JdbcClusterRegistry registry;
    private final JobStore store;
    private final JobExecutor executor;
    private final NodeConnector connector;
    private final JobsResuming resuming;
    private volatile DeclaredTopologyStatus status;
    private volatile boolean running;
    private Thread thread;

    DeclaredTopologyBootstrap(DeclaredTopologyProperties properties, ClusterOperations operations,
                              JdbcClusterRegistry registry, JobStore store, JobExecutor executor, NodeConnector connector,
                              JobsResuming resuming) {
        this.properties = properties;
        this.operations = operations;
        this.registry = registry;
        this.store = store;
        this.executor = executor;
        this.connector = connector;
        this.resuming = resuming;
        this.status = new DeclaredTopologyStatus(properties.declared() ? properties.name() : null, properties.nodes(),
                properties.replicasPerPrimary(), properties.declared() ? State.WAITING : State.NONE,
                properties.declared() ? "not started" : "no topology declared (rookery.admin.topology.nodes)", null,
                Instant.now());
    }

    DeclaredTopologyStatus status() {
        return status;
    }

    @Override
    public Health health() {
        DeclaredTopologyStatus s = status;
        Health.Builder b = switch (s.state()) {
            case NONE, READY -> Health.up();
            case WAITING, CREATING -> Health.status(Status.OUT_OF_SERVICE);
            case CONFLICT, FAILED -> Health.down();
        };
        b.withDetail("state", s.state()).withDetail("reason", s.reason());
        if (s.cluster() != null) {
            b.withDetail("cluster", s.cluster());
        }
        if (s.jobId() != null) {
            b.withDetail("jobId", s.jobId());
        }
        return b.build();
    }

    @Override
    public void start() {
        running = true;
        if (!properties.declared()) {
            return;
        }
        thread = new Thread(this::bringAbout, "admin-declared-topology");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void bringAbout() {
        try {
            DeclaredTopology declared = new DeclaredTopology(properties.nodes().stream().map(NodeAddress::parse).toList(),
                    properties.replicasPerPrimary());
            while (running && !resuming.isRunning()) {
                Thread.sleep(50); // a create job a previous process left running resumes before it is looked for
            }
            long deadline = System.nanoTime() + properties.waitTimeout().toNanos();
            Long createdBy = null;
            while (running) {
                Optional<Job> active = activeJob();
                if (active.isPresent()) {
                    createdBy = awaitJob(active.get());
                    if (createdBy == null) {
                        return;
                    }
                    continue;
                }
                Verdict v = judge(declared);
                switch (v.kind()) {
                    case EMPTY -> {
                        if (registry.find(properties.name()).isPresent()) {
                            LOG.info("declared cluster {}: its nodes are empty again; registering it anew", properties.name());
                            operations.unregister(properties.name());
                        }
                        Job job = (Job) operations.create(new CreateRequest(properties.name(), properties.nodes(),
                                properties.replicasPerPrimary(), properties.user(), properties.password(), null), false);
                        LOG.info("declared cluster {}: every node is empty; creating {} (job {})", properties.name(),
                                declared, job.id());
                        set(State.CREATING, "creating " + declared + " (job " + job.id() + ")", job.id());
                    }
                    case FORMED -> {
                        String how = createdBy != null ? "created by job " + createdBy : "already formed; nothing to do";
                        if (registry.find(properties.name()).isEmpty()) {
                            operations.register(new RegisterRequest(properties.name(), properties.nodes(), properties.user(),
                                    properties.password()));
                            how = "already formed; registered (adopted) under this name";
                        }
                        LOG.info("declared cluster {}: {} ({})", properties.name(), how, v.reason());
                        set(State.READY, how + ": " + v.reason(), createdBy);
                        return;
                    }
                    case UNREACHABLE, SETTLING -> {
                        if (System.nanoTime() - deadline > 0) {
                            fail("gave up after " + properties.waitTimeout() + ": " + v.reason(), createdBy);
                            return;
                        }
                        if (status.state() != State.WAITING || !v.reason().equals(status.reason())) {
                            LOG.info("declared cluster {}: {}", properties.name(), v.reason());
                        }
                        set(State.WAITING, v.reason(), createdBy);
                        Thread.sleep(properties.retryInterval().toMillis());
                    }
                    default -> {
                        LOG.warn("declared cluster {}: {} ({}); the admin service does not touch these nodes",
                                properties.name(), v.reason(), v.kind());
                        set(State.CONFLICT, v.kind() + ": " + v.reason(), createdBy);
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (running) {
                fail(e.getMessage() == null ? e.toString() : e.getMessage(), status.jobId());
            }
        }
    }

    /**
     * The cluster's running, pending or paused create job (one a previous process left, or ours). Other jobs (a
     * rebalance resumed after a restart) are not waited for: the cluster reads as settling while their slots are open.
     */
    private Optional<Job> activeJob() {
        if (registry.find(properties.name()).isEmpty()) {
            return Optional.empty();
        }
        return store.jobs(properties.name()).stream().filter(j -> CREATE.equals(j.kind()))
                .filter(j -> j.state() == JobState.RUNNING || j.state() == JobState.PENDING || j.state() == JobState.PAUSED)
                .max(Comparator.comparingLong(Job::id));
    }

    /** Waits for the job to end; its id when it succeeded, null (after reporting) when it did not. */
    private Long awaitJob(Job job) throws InterruptedException {
        if (job.state() == JobState.PENDING) {
            executor.start(job.id()); // a no-op when it runs already
        }
        set(State.CREATING, "waiting for job " + job.id() + " (" + job.kind() + ": " + job.description() + ")", job.id());
        while (running) {
            Job now = store.job(job.id()).orElseThrow();
            switch (now.state()) {
                case SUCCEEDED -> {
                    return now.id();
                }
                case FAILED, CANCELLED -> {
                    fail("job " + now.id() + " " + now.state().name().toLowerCase() + ": " + now.error(), now.id());
                    return null;
                }
                default -> Thread.sleep(Math.min(500, properties.retryInterval().toMillis()));
            }
        }
        return null;
    }

    private Verdict judge(DeclaredTopology declared) {
        Map<NodeAddress, String> ids = new LinkedHashMap<>();
        Map<NodeAddress, String> errors = new LinkedHashMap<>();
        try (ClusterConnections connections = new ClusterConnections(connector,
                new Credentials(properties.user(), properties.password()))) {
            for (NodeAddress a : declared.nodes()) {
                try {
                    ids.put(a, connections.to(a).text("CLUSTER", "MYID").trim());
                } catch (NodeCommandException e) {
                    errors.put(a, e.getMessage());
                    connections.forget(a);
                }
            }
            ClusterSnapshot snapshot = null;
            if (errors.isEmpty()) {
                try {
                    snapshot = new ClusterReader(connections).read(declared.nodes());
                } catch (NodeCommandException e) {
                    errors.put(declared.nodes().get(0), e.getMessage());
                }
            }
            return DeclaredTopologyCheck.judge(declared, ids, errors, snapshot);
        }
    }

    private void fail(String reason, Long jobId) {
        LOG.error("declared cluster {}: {}", properties.name(), reason);
        set(State.FAILED, reason, jobId);
    }

    private void set(State state, String reason, Long jobId) {
        status = new DeclaredTopologyStatus(properties.name(), properties.nodes(), properties.replicasPerPrimary(), state,
                reason, jobId, status.state() == state ? status.since() : Instant.now());
    }
}
