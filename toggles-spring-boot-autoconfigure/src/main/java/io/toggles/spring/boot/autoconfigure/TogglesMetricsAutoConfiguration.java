package io.toggles.spring.boot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.toggles.Toggles;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link TogglesMetrics} when Micrometer is present; Spring Boot binds every {@link MeterBinder}
 * bean to its registries.
 */
@AutoConfiguration(
    after = TogglesAutoConfiguration.class,
    afterName =
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({MeterRegistry.class, Toggles.class})
@ConditionalOnBean(Toggles.class)
public class TogglesMetricsAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public TogglesMetricsAutoConfiguration() {}

  /** The meters of the toggles. */
  @Bean
  @ConditionalOnMissingBean
  public TogglesMetrics togglesMetrics(Toggles toggles) {
    return new TogglesMetrics(toggles);
  }
}
