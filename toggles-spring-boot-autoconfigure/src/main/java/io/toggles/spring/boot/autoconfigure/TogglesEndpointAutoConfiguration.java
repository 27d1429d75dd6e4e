package io.toggles.spring.boot.autoconfigure;

import io.toggles.ToggleAdmin;
import io.toggles.Toggles;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@link TogglesEndpoint}, when Actuator is present and the endpoint is available (exposed and
 * not disabled with {@code management.endpoint.toggles.enabled=false}).
 */
@AutoConfiguration(after = TogglesAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class, Toggles.class})
@ConditionalOnBean({Toggles.class, ToggleAdmin.class})
public class TogglesEndpointAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public TogglesEndpointAutoConfiguration() {}

  /** The endpoint; its writes answer 403 unless {@code toggles.actuator.writes=true}. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  public TogglesEndpoint togglesEndpoint(
      Toggles toggles, ToggleAdmin admin, TogglesAccess access, TogglesProperties properties) {
    return new TogglesEndpoint(toggles, admin, access, properties.actuator());
  }
}
