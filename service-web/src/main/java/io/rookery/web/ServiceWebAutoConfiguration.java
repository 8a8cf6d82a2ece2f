package io.rookery.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * What every Rookery service's HTTP side needs, in one place, so a service adds none of it: the admin
 * token guard on state-changing calls ({@link AdminTokenFilter}, closed until a token is configured),
 * HTTP bound where the engine's RESP side binds ({@link HttpBinding}), one request per connection
 * ({@link OneRequestPerConnection}). A service contributes an {@link EngineLifecycle} bean (its engine's
 * start, stop and bind addresses), maps its token property onto {@link ServiceWebProperties} and starts
 * from {@link ServiceLauncher} (argument translation, exit on a failed start: both must act before
 * and after Spring runs, so they cannot be beans). Secrets are shown through {@link Secrets}. Each
 * bean gives way to one the service declares itself.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableConfigurationProperties(ServiceWebProperties.class)
public class ServiceWebAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AdminTokenFilter adminTokenFilter(ServiceWebProperties properties) {
        return new AdminTokenFilter(properties.adminToken(), properties.adminTokenProperty());
    }

    @Bean
    @ConditionalOnMissingBean
    HttpBinding httpBinding(Environment environment, ObjectProvider<EngineLifecycle> engine) {
        return new HttpBinding(environment, engine);
    }

    @Bean
    @ConditionalOnMissingBean
    OneRequestPerConnection oneRequestPerConnection() {
        return new OneRequestPerConnection();
    }
}
