package io.rookery.admin.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.admin.job.Job;
import io.rookery.admin.job.JobParams;
import io.rookery.admin.job.JobState;
import io.rookery.admin.job.JobStep;
import io.rookery.admin.job.StepKind;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database of the shipped configuration (application.yml's datasource URL, on disk) keeps
 * working after a thread that used it was interrupted. A plain {@code jdbc:h2:file:} database closes
 * its file for good when a thread doing I/O on it is interrupted (NIO's ClosedByInterruptException);
 * in the compose e2e a Prometheus scrape, cut short while its job gauge queried the store, closed the
 * admin's database that way and the running rebalance job died with "The database has been closed".
 */
class EmbeddedDatabaseInterruptTest {
    private static final Pattern URL = Pattern.compile("url: (jdbc:h2:\\S+)");

    @Test
    void interruptedThreadsLeaveTheShippedDatabaseOpen(@TempDir Path dir) throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(shippedUrl().replace("${rookery.admin.data-dir:./admin-data}", dir.toString()));
        ds.setUser("sa");
        Flyway.configure().dataSource(ds).load().migrate();
        JdbcJobStore store = new JdbcJobStore(ds);
        Job job = store.create(new Job(0, "c1", "reshard", "one slot", JobState.PENDING, new JobParams(100, 0, 2, 5, 1000, true),
                "{\"moves\":[]}", Instant.now(), null, null, null), List.of(JobStep.of(StepKind.MOVE, 7, "a", "b", null)));

        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread interrupted = new Thread(() -> {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                for (int i = 0; i < 50; i++) {
                    Thread.currentThread().interrupt(); // as a scrape thread cut short, or a job thread stopped
                    store.log(job.id(), "INFO", "line " + i);
                    store.jobsIn(JobState.PENDING);
                    s.execute("CHECKPOINT SYNC"); // the file written and synced on this thread
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "interrupted-user");
        interrupted.start();
        interrupted.join(60_000);

        assertThat(failure.get()).as("the interrupted thread's own calls").isNull();
        store.log(job.id(), "INFO", "after");
        assertThat(store.log(job.id(), 1)).extracting(io.rookery.admin.job.JobStore.LogLine::message).containsExactly("after");
        assertThat(store.jobsIn(JobState.PENDING)).extracting(Job::id).containsExactly(job.id());
    }

    private static String shippedUrl() throws Exception {
        try (InputStream in = EmbeddedDatabaseInterruptTest.class.getResourceAsStream("/application.yml")) {
            Matcher m = URL.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertThat(m.find()).as("application.yml names an H2 datasource URL").isTrue();
            return m.group(1);
        }
    }
}
