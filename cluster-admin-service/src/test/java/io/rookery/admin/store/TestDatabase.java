package io.rookery.admin.store;

import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/** A fresh in-memory H2 database with the service's Flyway migrations applied. */
public final class TestDatabase {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private TestDatabase() {
    }

    public static DataSource fresh() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:admin" + NEXT.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).load().migrate();
        return ds;
    }
}
