package io.rookery.admin.store;

import io.rookery.admin.job.Job;
import io.rookery.admin.job.JobParams;
import io.rookery.admin.job.JobState;
import io.rookery.admin.job.JobStep;
import io.rookery.admin.job.JobStore;
import io.rookery.admin.job.StepKind;
import io.rookery.admin.job.StepState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link JobStore} on a SQL database (H2 by default, PostgreSQL when configured), tables from the
 * Flyway migrations under {@code db/migration}. The lease is one row per cluster, taken with a
 * conditional UPDATE (free, expired, or already ours) or an INSERT when there is no row yet — so two
 * instances racing for it can't both win.
 */
public final class JdbcJobStore implements JobStore {
    private static final String JOB_COLUMNS = "id, cluster, kind, description, state, keys_per_second, bytes_per_second, "
            + "concurrency, batch_keys, migrate_timeout, replace_keys, plan_json, created_at, started_at, finished_at, error";
    private static final String STEP_COLUMNS = "job_id, seq, kind, slot, node_id, peer_id, arg, epoch, state, "
            + "keys_planned, bytes_planned, keys_moved, bytes_moved, error";

    private final Jdbc jdbc;

    public JdbcJobStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public Job create(Job job, List<JobStep> steps) {
        JobParams p = job.params();
        long id = jdbc.insert("INSERT INTO job (cluster, kind, description, state, keys_per_second, bytes_per_second, "
                        + "concurrency, batch_keys, migrate_timeout, replace_keys, plan_json, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                job.cluster(), job.kind(), job.description(), job.state(), p.keysPerSecond(), p.bytesPerSecond(),
                p.concurrency(), p.batchKeys(), p.migrateTimeoutMillis(), p.replace(), job.planJson(), job.createdAt());
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            JobStep s = steps.get(i).numbered(id, i);
            rows.add(new Object[]{id, i, s.kind(), s.slot(), s.nodeId(), s.peerId(), s.arg(), s.epoch(), s.state(),
                    s.keysPlanned(), s.bytesPlanned(), s.keysMoved(), s.bytesMoved(), s.error()});
        }
        if (!rows.isEmpty()) {
            jdbc.batch("INSERT INTO job_step (" + STEP_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
        }
        return job(id).orElseThrow();
    }

    @Override
    public Optional<Job> job(long id) {
        return jdbc.query("SELECT " + JOB_COLUMNS + " FROM job WHERE id = ?", JdbcJobStore::job, id).stream().findFirst();
    }

    @Override
    public List<Job> jobs(String cluster) {
        return cluster == null
                ? jdbc.query("SELECT " + JOB_COLUMNS + " FROM job ORDER BY id DESC", JdbcJobStore::job)
                : jdbc.query("SELECT " + JOB_COLUMNS + " FROM job WHERE cluster = ? ORDER BY id DESC", JdbcJobStore::job,
                cluster);
    }

    @Override
    public List<Job> jobsIn(JobState state) {
        return jdbc.query("SELECT " + JOB_COLUMNS + " FROM job WHERE state = ? ORDER BY id", JdbcJobStore::job, state);
    }

    @Override
    public Map<JobState, Integer> countByState() {
        Map<JobState, Integer> counts = new EnumMap<>(JobState.class);
        for (Map.Entry<JobState, Integer> e : jdbc.query("SELECT state, COUNT(*) FROM job GROUP BY state",
                rs -> Map.entry(JobState.valueOf(rs.getString(1)), rs.getInt(2)))) {
            counts.put(e.getKey(), e.getValue());
        }
        return counts;
    }

    @Override
    public void update(Job job) {
        jdbc.update("UPDATE job SET state = ?, started_at = ?, finished_at = ?, error = ? WHERE id = ?", job.state(),
                job.startedAt(), job.finishedAt(), truncate(job.error()), job.id());
    }

    @Override
    public List<JobStep> steps(long jobId) {
        return jdbc.query("SELECT " + STEP_COLUMNS + " FROM job_step WHERE job_id = ? ORDER BY seq", JdbcJobStore::step,
                jobId);
    }

    private static final String UPDATE_STEP =
            "UPDATE job_step SET state = ?, keys_moved = ?, bytes_moved = ?, error = ? WHERE job_id = ? AND seq = ?";

    @Override
    public void update(JobStep step) {
        jdbc.update(UPDATE_STEP, stepRow(step));
    }

    @Override
    public void update(List<JobStep> steps) {
        if (steps.size() == 1) {
            update(steps.get(0));
        } else if (!steps.isEmpty()) {
            jdbc.batch(UPDATE_STEP, steps.stream().map(JdbcJobStore::stepRow).toList());
        }
    }

    private static Object[] stepRow(JobStep step) {
        return new Object[]{step.state(), step.keysMoved(), step.bytesMoved(), truncate(step.error()), step.jobId(),
                step.seq()};
    }

    @Override
    public void log(long jobId, String level, String message) {
        jdbc.insert("INSERT INTO job_log (job_id, logged_at, level, message) VALUES (?, ?, ?, ?)", jobId, Instant.now(),
                level, truncate(message));
    }

    @Override
    public List<LogLine> log(long jobId, int limit) {
        List<LogLine> newest = jdbc.query("SELECT job_id, logged_at, level, message FROM job_log WHERE job_id = ? "
                        + "ORDER BY id DESC", rs -> new LogLine(rs.getLong("job_id"), Jdbc.instant(rs, "logged_at"),
                        rs.getString("level"), rs.getString("message")), jobId);
        List<LogLine> out = new ArrayList<>(newest.subList(0, Math.min(limit, newest.size())));
        java.util.Collections.reverse(out);
        return out;
    }

    @Override
    public synchronized boolean acquireLease(String cluster, String owner, Duration ttl) {
        long now = System.currentTimeMillis();
        long until = now + ttl.toMillis();
        int updated = jdbc.update("UPDATE cluster_lease SET owner = ?, expires_at = ? WHERE cluster = ? "
                + "AND (owner = ? OR expires_at < ?)", owner, until, cluster, owner, now);
        if (updated == 1) {
            return true;
        }
        if (leaseRow(cluster)) {
            return false;
        }
        try {
            jdbc.update("INSERT INTO cluster_lease (cluster, owner, expires_at) VALUES (?, ?, ?)", cluster, owner, until);
            return true;
        } catch (IllegalStateException raced) {
            return false; // another instance inserted first
        }
    }

    private boolean leaseRow(String cluster) {
        return !jdbc.query("SELECT owner FROM cluster_lease WHERE cluster = ?", rs -> rs.getString(1), cluster).isEmpty();
    }

    @Override
    public void releaseLease(String cluster, String owner) {
        jdbc.update("DELETE FROM cluster_lease WHERE cluster = ? AND owner = ?", cluster, owner);
    }

    @Override
    public Optional<String> leaseHolder(String cluster) {
        return jdbc.query("SELECT owner FROM cluster_lease WHERE cluster = ? AND expires_at >= ?", rs -> rs.getString(1),
                cluster, System.currentTimeMillis()).stream().findFirst();
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3990) + "...";
    }

    private static Job job(ResultSet rs) throws SQLException {
        JobParams p = new JobParams(rs.getLong("keys_per_second"), rs.getLong("bytes_per_second"), rs.getInt("concurrency"),
                rs.getInt("batch_keys"), rs.getInt("migrate_timeout"), rs.getBoolean("replace_keys"));
        return new Job(rs.getLong("id"), rs.getString("cluster"), rs.getString("kind"), rs.getString("description"),
                JobState.valueOf(rs.getString("state")), p, rs.getString("plan_json"), Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "finished_at"), rs.getString("error"));
    }

    private static JobStep step(ResultSet rs) throws SQLException {
        return new JobStep(rs.getLong("job_id"), rs.getInt("seq"), StepKind.valueOf(rs.getString("kind")), rs.getInt("slot"),
                rs.getString("node_id"), rs.getString("peer_id"), rs.getString("arg"), rs.getLong("epoch"),
                StepState.valueOf(rs.getString("state")), rs.getLong("keys_planned"), rs.getLong("bytes_planned"),
                rs.getLong("keys_moved"), rs.getLong("bytes_moved"), rs.getString("error"));
    }
}
