package io.toggles.spring.boot.autoconfigure;

import io.toggles.Audit;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.SettingValue;
import io.toggles.ToggleAdmin;
import java.util.UUID;
import org.springframework.boot.autoconfigure.AutoConfigurations;

/** Shared bits of the auto-configuration tests. */
final class Fixtures {
  static final AutoConfigurations DATA_SOURCE =
      AutoConfigurations.of(
          org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration.class);

  static final AutoConfigurations TOGGLES =
      AutoConfigurations.of(
          TogglesAutoConfiguration.class,
          TogglesWebAutoConfiguration.class,
          TogglesHealthAutoConfiguration.class,
          TogglesEndpointAutoConfiguration.class,
          TogglesMetricsAutoConfiguration.class);

  private Fixtures() {}

  /** A fresh in-memory H2 database's URL, kept while the JVM runs. */
  static String h2Url() {
    return "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  /** The property that points Spring's DataSource at a fresh H2 database. */
  static String freshDataSource() {
    return "spring.datasource.url=" + h2Url();
  }

  /** Declares {@code new-checkout} (off by default) and turns it on globally. */
  static void newCheckoutOn(ToggleAdmin admin) {
    Audit audit = Audit.of("test", "CHK-1 set up");
    admin.define(FeatureDefinition.bool("new-checkout"), audit);
    admin.set(
        "new-checkout", admin.hierarchy().global(), SettingValue.of(true), Expect.any(), audit);
  }
}
