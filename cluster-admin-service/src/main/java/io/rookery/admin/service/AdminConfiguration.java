package io.rookery.admin.service;

import io.rookery.admin.cluster.NodeConnector;
import io.rookery.admin.job.JobExecutor;
import io.rookery.admin.job.JobStore;
import io.rookery.admin.store.JdbcClusterRegistry;
import io.rookery.admin.store.JdbcJobStore;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.ObjectMapper;

/**
 * The admin service's parts: node connections, the stores on the configured DataSource (H2 file by
 * default, PostgreSQL when {@code spring.datasource.*} says so; Flyway migrates it at start), the
 * executor, and the operations the REST side calls. The admin token guard, problem+json and the rest
 * of the HTTP edge come from service-web's auto-configuration.
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "Rookery cluster admin API", version = "v1",
        description = "Managed Redis 7.0 and Rookery clusters: topology, health, and jobs that create, reshard, "
                + "rebalance, add and remove nodes, fail over and fix"))
class AdminConfiguration {

    @Bean(destroyMethod = "close")
    NodeConnector nodeConnector(AdminProperties properties) {
        return new NodeConnector(properties.nodeTimeout());
    }

    @Bean
    JobStore jobStore(DataSource dataSource) {
        return new JdbcJobStore(dataSource);
    }

    @Bean
    JdbcClusterRegistry clusterRegistry(DataSource dataSource) {
        return new JdbcClusterRegistry(dataSource);
    }

    @Bean(destroyMethod = "close")
    ClusterHandles clusterHandles(JdbcClusterRegistry registry, NodeConnector connector) {
        return new ClusterHandles(registry, connector);
    }

    @Bean(destroyMethod = "close")
    JobExecutor jobExecutor(JobStore store, ClusterHandles handles, AdminProperties properties) {
        return new JobExecutor(store, handles::get, properties.instanceId(), properties.leaseTtl());
    }

    @Bean
    ClusterOperations clusterOperations(JdbcClusterRegistry registry, ClusterHandles handles, JobStore store,
                                        JobExecutor executor, NodeConnector connector, ObjectMapper json) {
        return new ClusterOperations(registry, handles, store, executor, connector, json);
    }

    @Bean
    JobMetrics jobMetrics(io.micrometer.core.instrument.MeterRegistry meters, JobStore store, JobExecutor executor) {
        return new JobMetrics(meters, store, executor);
    }

    @Bean
    ClusterWatcher managedClusters(JdbcClusterRegistry registry, ClusterHandles handles, AdminProperties properties,
                                   io.micrometer.core.instrument.MeterRegistry meters) {
        return new ClusterWatcher(registry, handles, properties.refreshInterval(), meters);
    }

    @Bean
    JobsResuming jobsResuming(JobExecutor executor) {
        return new JobsResuming(executor);
    }

    /** Bean name = health contributor name, which application.yml's readiness group includes. */
    @Bean
    DeclaredTopologyBootstrap declaredTopology(DeclaredTopologyProperties properties, ClusterOperations operations,
                                               JdbcClusterRegistry registry, JobStore store, JobExecutor executor,
                                               NodeConnector connector, JobsResuming resuming) {
        return new DeclaredTopologyBootstrap(properties, operations, registry, store, executor, connector, resuming);
    }
}
