package io.toggles.spring.boot.autoconfigure;

import io.toggles.Toggles;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@link TogglesHealthIndicator}, contributed as {@code toggles} when Spring Boot's health
 * support is present; {@code management.health.toggles.enabled=false} turns it off.
 */
@AutoConfiguration(
    after = TogglesAutoConfiguration.class,
    beforeName =
        "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass({HealthIndicator.class, Toggles.class})
@ConditionalOnBean(Toggles.class)
public class TogglesHealthAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public TogglesHealthAutoConfiguration() {}

  /** The indicator; its bean name makes the contributor's name {@code toggles}. */
  @Bean
  @ConditionalOnMissingBean(name = "togglesHealthIndicator")
  @ConditionalOnEnabledHealthIndicator("toggles")
  public TogglesHealthIndicator togglesHealthIndicator(
      Toggles toggles, TogglesProperties properties) {
    return new TogglesHealthIndicator(toggles, properties.health().staleStatus());
  }
}
