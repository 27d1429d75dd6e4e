package io.toggles.spring.boot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.toggles.ToggleAdmin;
import io.toggles.Toggles;
import io.toggles.spring.boot.autoconfigure.hooks.EvaluationCounts;
import io.toggles.spring.boot.autoconfigure.hooks.SyncHooks;
import org.springframework.beans.factory.ObjectProvider;
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

  /** The meters; the sync and evaluation meters only with their hooks. */
  @Bean
  @ConditionalOnMissingBean
  public TogglesMetrics togglesMetrics(
      Toggles toggles,
      ObjectProvider<ToggleAdmin> admin,
      ObjectProvider<SyncHooks> syncHooks,
      ObjectProvider<EvaluationCounts> evaluations) {
    return new TogglesMetrics(
        toggles, admin.getIfUnique(), syncHooks.getIfUnique(), evaluations.getIfUnique());
  }
}
