package io.rookery.admin.store;

import io.rookery.admin.cluster.Credentials;
import io.rookery.admin.cluster.NodeAddress;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The managed clusters, by name, in the same database as the jobs. Seeds are kept as
 * {@code host:port} separated by commas. The password is stored as given (the database is the
 * service's own) and never leaves through the REST side unmasked.
 */
public final class JdbcClusterRegistry {
    private final Jdbc jdbc;

    public JdbcClusterRegistry(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** Registers {@code cluster}; false when the name is taken. */
    public synchronized boolean add(ManagedCluster cluster) {
        if (find(cluster.name()).isPresent()) {
            return false;
        }
        jdbc.update("INSERT INTO managed_cluster (name, seeds, auth_user, auth_pass, created_at) VALUES (?, ?, ?, ?, ?)",
                cluster.name(), seeds(cluster.seeds()), cluster.credentials().user(), cluster.credentials().password(),
                cluster.createdAt());
        return true;
    }

    /** Replaces the seeds (a node added or removed). */
    public void updateSeeds(String name, List<NodeAddress> seeds) {
        jdbc.update("UPDATE managed_cluster SET seeds = ? WHERE name = ?", seeds(seeds), name);
    }

    public boolean remove(String name) {
        return jdbc.update("DELETE FROM managed_cluster WHERE name = ?", name) == 1;
    }

    public Optional<ManagedCluster> find(String name) {
        return jdbc.query("SELECT name, seeds, auth_user, auth_pass, created_at FROM managed_cluster WHERE name = ?",
                JdbcClusterRegistry::cluster, name).stream().findFirst();
    }

    public List<ManagedCluster> all() {
        return jdbc.query("SELECT name, seeds, auth_user, auth_pass, created_at FROM managed_cluster ORDER BY name",
                JdbcClusterRegistry::cluster);
    }

    private static String seeds(List<NodeAddress> seeds) {
        return String.join(",", seeds.stream().map(NodeAddress::toString).toList());
    }

    private static ManagedCluster cluster(ResultSet rs) throws SQLException {
        List<NodeAddress> seeds = Arrays.stream(rs.getString("seeds").split(",")).filter(s -> !s.isBlank())
                .map(NodeAddress::parse).toList();
        return new ManagedCluster(rs.getString("name"), seeds,
                new Credentials(rs.getString("auth_user"), rs.getString("auth_pass")), Jdbc.instant(rs, "created_at"));
    }
}
