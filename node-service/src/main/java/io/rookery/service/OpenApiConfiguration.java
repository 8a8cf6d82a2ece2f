package io.rookery.service;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document's title and version (served at /v3/api-docs, browsable at /swagger-ui.html). */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "Rookery node API", version = "v1",
        description = "State, configuration and control of a Rookery data node"))
class OpenApiConfiguration {
}
