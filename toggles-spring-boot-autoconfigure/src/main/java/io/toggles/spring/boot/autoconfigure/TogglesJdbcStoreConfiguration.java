package io.toggles.spring.boot.autoconfigure;

import io.toggles.jdbc.JdbcStore;
import io.toggles.spi.ToggleStore;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link JdbcStore}: on {@code toggles.jdbc.url} when it is set (a separate toggles database
 * with its own small pool), else on the application's one DataSource. Neither without a URL or a
 * DataSource, so that toggles stays off. The schema is checked at start-up by {@link SchemaCheck}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(JdbcStore.class)
class TogglesJdbcStoreConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(ToggleStore.class)
  @Conditional(UrlOrDataSource.class)
  JdbcStore togglesStore(TogglesProperties properties, ObjectProvider<DataSource> dataSource) {
    TogglesProperties.Jdbc jdbc = properties.jdbc();
    JdbcStore.Builder b;
    if (jdbc.url() != null) {
      b = JdbcStore.builder(jdbc.url()).connectionTimeout(jdbc.connectionTimeout());
      if (jdbc.username() != null) {
        b.user(jdbc.username());
      }
      if (jdbc.password() != null) {
        b.password(jdbc.password());
      }
    } else {
      // The store leaves the application's DataSource open when it is closed.
      b = JdbcStore.builder(dataSource.getObject());
    }
    JdbcStore store =
        b.hierarchy(properties.toHierarchy())
            .tablePrefix(jdbc.tablePrefix())
            .createSchemaIfMissing(jdbc.createSchema())
            .build();
    return SchemaCheck.checked(store, properties);
  }

  /** {@code toggles.jdbc.url} is set, or the application has one DataSource. */
  static final class UrlOrDataSource extends AnyNestedCondition {
    UrlOrDataSource() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnProperty(prefix = "toggles.jdbc", name = "url")
    static final class Url {}

    @ConditionalOnSingleCandidate(DataSource.class)
    static final class OneDataSource {}
  }
}
