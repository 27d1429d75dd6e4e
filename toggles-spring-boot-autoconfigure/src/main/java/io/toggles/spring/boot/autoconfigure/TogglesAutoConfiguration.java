package io.toggles.spring.boot.autoconfigure;

import io.toggles.Toggles;
import io.toggles.spi.ToggleStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The {@link Toggles} on a {@link ToggleStore}: a {@code JdbcStore} (see {@link
 * TogglesJdbcStoreConfiguration}) unless the application defines its own store. Runs after the
 * DataSource auto-configuration, so that the store can use the application's DataSource. The
 * toggles are closed with the context; the store too, which leaves the application's DataSource
 * open.
 */
@AutoConfiguration(
    afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(Toggles.class)
@ConditionalOnBooleanProperty(name = "toggles.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TogglesProperties.class)
@Import({TogglesJdbcStoreConfiguration.class, TogglesAccessConfiguration.class})
public class TogglesAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public TogglesAutoConfiguration() {}

  /**
   * The toggles, configured from {@code toggles.*}, then by every {@link TogglesBuilderCustomizer}.
   * Never fails because the database is down: it waits at most the start wait.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnBean(ToggleStore.class)
  public Toggles toggles(
      ToggleStore store,
      TogglesProperties properties,
      ObjectProvider<TogglesBuilderCustomizer> customizers) {
    Toggles.Builder b =
        Toggles.builder(store)
            .preload(properties.preload())
            .syncInterval(properties.syncInterval())
            .startWait(properties.startWait())
            .missWait(properties.missWait())
            .countEvaluations(properties.metrics().evaluations());
    if (properties.staleAfter() != null) {
      b.staleAfter(properties.staleAfter());
    }
    if (properties.errorAfter() != null) {
      b.errorAfter(properties.errorAfter());
    }
    if (properties.snapshotFile() != null) {
      b.snapshotFile(properties.snapshotFile());
    }
    customizers.orderedStream().forEach(c -> c.customize(b));
    try {
      return b.build();
    } catch (IllegalStateException e) {
      // The thresholds conflict, one of them defaulted: name the properties.
      throw new IllegalStateException(
          "toggles: " + e.getMessage() + " (see toggles.stale-after and toggles.error-after)", e);
    }
  }
}
