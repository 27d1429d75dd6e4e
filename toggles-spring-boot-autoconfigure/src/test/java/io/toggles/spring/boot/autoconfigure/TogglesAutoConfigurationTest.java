package io.toggles.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.toggles.Context;
import io.toggles.Health;
import io.toggles.Hierarchy;
import io.toggles.InMemoryStore;
import io.toggles.StoreException;
import io.toggles.ToggleAdmin;
import io.toggles.Toggles;
import io.toggles.jdbc.JdbcStore;
import io.toggles.spi.ToggleStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The store and toggles beans: each condition and each property of the core configuration. */
class TogglesAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(Fixtures.DATA_SOURCE)
          .withConfiguration(Fixtures.TOGGLES);

  @Test
  void withoutDataSourceOrUrlNothingIsConfigured() {
    new ApplicationContextRunner()
        .withConfiguration(Fixtures.TOGGLES)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx).doesNotHaveBean(ToggleStore.class);
              assertThat(ctx).doesNotHaveBean(Toggles.class);
            });
  }

  @Test
  void onTheApplicationsDataSourceTheStoreAndTogglesWork() {
    runner
        .withPropertyValues(Fixtures.freshDataSource(), "toggles.jdbc.create-schema=true")
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(JdbcStore.class).hasSingleBean(Toggles.class);
              Fixtures.newCheckoutOn(ctx.getBean(ToggleAdmin.class));
              Toggles toggles = ctx.getBean(Toggles.class);
              toggles.sync();
              assertThat(toggles.isEnabled("new-checkout", Context.empty(toggles.hierarchy())))
                  .isTrue();
              assertThat(ctx.getBeanFactory().getBeanDefinition("toggles").getDestroyMethodName())
                  .isEqualTo("close");
            });
  }

  @Test
  void theStoreLeavesTheApplicationsDataSourceOpenWhenTheContextCloses() {
    AtomicReference<HikariDataSource> pool = new AtomicReference<>();
    runner
        .withPropertyValues("toggles.jdbc.create-schema=true", "toggles.sync-interval=0")
        .withUserConfiguration(OwnPool.class)
        .run(
            ctx -> {
              pool.set(ctx.getBean(HikariDataSource.class));
              assertThat(ctx).hasSingleBean(JdbcStore.class);
            });
    assertThat(pool.get().isClosed()).isFalse();
    pool.get().close();
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnPool {
    @Bean(destroyMethod = "")
    HikariDataSource appPool() {
      HikariDataSource ds = new HikariDataSource();
      ds.setJdbcUrl(Fixtures.h2Url());
      return ds;
    }
  }

  @Test
  void aUsersStoreWins() {
    InMemoryStore mine = InMemoryStore.create(Hierarchy.of("tenant"));
    runner
        .withPropertyValues(Fixtures.freshDataSource())
        .withBean(ToggleStore.class, () -> mine)
        .run(
            ctx -> {
              assertThat(ctx).doesNotHaveBean(JdbcStore.class);
              assertThat(ctx.getBean(Toggles.class).hierarchy()).isEqualTo(Hierarchy.of("tenant"));
            });
  }

  @Test
  void aUsersTogglesWin() {
    runner
        .withPropertyValues(Fixtures.freshDataSource(), "toggles.jdbc.create-schema=true")
        .withUserConfiguration(OwnToggles.class)
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(Toggles.class);
              assertThat(ctx.getBean(Toggles.class)).isSameAs(ctx.getBean("mine"));
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnToggles {
    @Bean(destroyMethod = "close")
    Toggles mine(ToggleStore store) {
      return Toggles.builder(store).syncInterval(Duration.ZERO).build();
    }
  }

  @Test
  void enabledFalseTurnsEverythingOff() {
    runner
        .withPropertyValues(Fixtures.freshDataSource(), "toggles.enabled=false")
        .run(
            ctx ->
                assertThat(ctx).doesNotHaveBean(Toggles.class).doesNotHaveBean(ToggleStore.class));
  }

  @Test
  void hierarchyAndTablePrefixShapeTheSchema() {
    String url = Fixtures.h2Url();
    runner
        .withPropertyValues(
            "spring.datasource.url=" + url,
            "toggles.jdbc.create-schema=true",
            "toggles.jdbc.table-prefix=flags_",
            "toggles.hierarchy=tenant,region")
        .run(
            ctx -> {
              Toggles toggles = ctx.getBean(Toggles.class);
              assertThat(toggles.hierarchy()).isEqualTo(Hierarchy.of("tenant", "region"));
              assertThat(columns(url, "FLAGS_SETTINGS")).contains("TENANT", "REGION");
            });
  }

  @Test
  void aBadHierarchyFailsStartUpNamingTheProperty() {
    runner
        .withPropertyValues(Fixtures.freshDataSource(), "toggles.hierarchy=Product,bad name")
        .run(
            ctx ->
                assertThat(ctx).getFailure().rootCause().hasMessageContaining("toggles.hierarchy"));
  }

  @Test
  void aNegativeDurationFailsStartUpNamingTheProperty() {
    runner
        .withPropertyValues(Fixtures.freshDataSource(), "toggles.sync-interval=-1s")
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("toggles.sync-interval"));
  }

  @Test
  void aSeparateDatabaseOnJdbcUrlIsUsedInsteadOfTheDataSource() {
    String appDb = Fixtures.h2Url();
    String togglesDb = Fixtures.h2Url();
    runner
        .withPropertyValues(
            "spring.datasource.url=" + appDb,
            "toggles.jdbc.url=" + togglesDb,
            "toggles.jdbc.username=sa",
            "toggles.jdbc.password=",
            "toggles.jdbc.connection-timeout=2s",
            "toggles.jdbc.create-schema=true")
        .run(
            ctx -> {
              Fixtures.newCheckoutOn(ctx.getBean(ToggleAdmin.class));
              assertThat(tables(togglesDb)).contains("TOGGLES_SETTINGS");
              assertThat(tables(appDb)).doesNotContain("TOGGLES_SETTINGS");
            });
  }

  @Test
  void aMissingSchemaFailsStartUpSayingWhatToRun() {
    runner
        .withPropertyValues(Fixtures.freshDataSource())
        .run(
            ctx -> {
              assertThat(ctx).getFailure().rootCause().isInstanceOf(MissingSchemaException.class);
              Throwable cause = rootCause(ctx.getStartupFailure());
              assertThat(cause.getMessage()).contains("schema missing").contains("toggles_*");
              assertThat(new MissingSchemaFailureAnalyzer().analyze(ctx.getStartupFailure()))
                  .satisfies(
                      a ->
                          assertThat(a.getAction())
                              .contains("toggles init")
                              .contains("toggles.jdbc.create-schema=true")
                              .contains("toggles.fail-on-missing-schema=false"));
            });
  }

  @Test
  void aMissingSchemaWithFailOffStartsDegradedAndRecoversOnceTheSchemaExists() {
    String url = Fixtures.h2Url();
    runner
        .withPropertyValues(
            "spring.datasource.url=" + url,
            "toggles.fail-on-missing-schema=false",
            "toggles.sync-interval=0",
            "toggles.start-wait=2s")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              Toggles toggles = ctx.getBean(Toggles.class);
              Health h = toggles.health();
              assertThat(h.status()).isEqualTo(Health.Status.ERROR);
              assertThat(h.lastError()).hasValueSatisfying(e -> assertThat(e).contains("schema"));
              assertThat(tables(url)).doesNotContain("TOGGLES_SETTINGS"); // no DDL was run
              JdbcStore store = ctx.getBean(JdbcStore.class);
              store.createSchema(); // what `toggles init` does
              Fixtures.newCheckoutOn(store);
              toggles.sync();
              assertThat(toggles.health().status()).isEqualTo(Health.Status.READY);
              assertThat(toggles.isEnabled("new-checkout", Context.empty(toggles.hierarchy())))
                  .isTrue();
            });
  }

  @Test
  void createSchemaRunsTheDdlOnlyWhenAsked() {
    String url = Fixtures.h2Url();
    runner
        .withPropertyValues("spring.datasource.url=" + url, "toggles.jdbc.create-schema=true")
        .run(ctx -> assertThat(tables(url)).contains("TOGGLES_SETTINGS", "TOGGLES_CHANGES"));
  }

  @Test
  void anUnreachableDatabaseDoesNotFailStartUp() {
    // A TCP H2 URL on a port nobody listens on: the store is down from the start.
    runner
        .withPropertyValues(
            "toggles.jdbc.url=jdbc:h2:tcp://127.0.0.1:1/nothing",
            "toggles.jdbc.connection-timeout=250ms",
            "toggles.start-wait=200ms",
            "toggles.sync-interval=0")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              Toggles toggles = ctx.getBean(Toggles.class);
              assertThat(toggles.health().status()).isEqualTo(Health.Status.ERROR);
              assertThat(toggles.isEnabled("new-checkout", Context.empty(toggles.hierarchy())))
                  .isFalse();
            });
  }

  @Test
  void syncIntervalZeroLeavesSyncToTheCaller() {
    runner
        .withPropertyValues(
            Fixtures.freshDataSource(),
            "toggles.jdbc.create-schema=true",
            "toggles.sync-interval=0")
        .run(
            ctx -> {
              Toggles toggles = ctx.getBean(Toggles.class);
              long before = toggles.revision();
              Fixtures.newCheckoutOn(ctx.getBean(ToggleAdmin.class));
              assertThat(toggles.revision()).isEqualTo(before);
              toggles.sync();
              assertThat(toggles.revision()).isGreaterThan(before);
            });
  }

  @Test
  void aShortSyncIntervalFollowsWritesOnItsOwn() {
    runner
        .withPropertyValues(
            Fixtures.freshDataSource(),
            "toggles.jdbc.create-schema=true",
            "toggles.sync-interval=50ms")
        .run(
            ctx -> {
              Toggles toggles = ctx.getBean(Toggles.class);
              Fixtures.newCheckoutOn(ctx.getBean(ToggleAdmin.class));
              Wait.until(
                  Duration.ofSeconds(10),
                  () -> toggles.isEnabled("new-checkout", Context.empty(toggles.hierarchy())));
            });
  }

  @Test
  void staleAfterErrorAfterAndACustomizersTickerDecideHealth() {
    AtomicLong nanos = new AtomicLong();
    runner
        .withPropertyValues(
            Fixtures.freshDataSource(),
            "toggles.jdbc.create-schema=true",
            "toggles.sync-interval=0",
            "toggles.stale-after=1s",
            "toggles.error-after=3s")
        .withBean(TogglesBuilderCustomizer.class, () -> b -> b.ticker(nanos::get))
        .run(
            ctx -> {
              Toggles toggles = ctx.getBean(Toggles.class);
              assertThat(toggles.health().status()).isEqualTo(Health.Status.READY);
              nanos.addAndGet(Duration.ofSeconds(2).toNanos()); // the default would be 5 s
              assertThat(toggles.health().status()).isEqualTo(Health.Status.STALE);
              nanos.addAndGet(Duration.ofSeconds(2).toNanos()); // the default would be 1 min
              assertThat(toggles.health().status()).isEqualTo(Health.Status.ERROR);
              toggles.sync();
              assertThat(toggles.health().status()).isEqualTo(Health.Status.READY);
            });
  }

  @Test
  void anErrorThresholdNotLongerThanTheStaleOneFailsStartUpNamingTheProperties() {
    runner
        .withPropertyValues(
            Fixtures.freshDataSource(), "toggles.stale-after=10s", "toggles.error-after=10s")
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("toggles.error-after (PT10S) must be longer than"));
    // Against the default stale threshold (5 s here): the builder refuses, the message says where.
    runner
        .withPropertyValues(
            Fixtures.freshDataSource(),
            "toggles.jdbc.create-schema=true",
            "toggles.sync-interval=0",
            "toggles.error-after=2s")
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .hasStackTraceContaining(
                        "toggles: error threshold PT2S must be longer than stale threshold PT5S"
                            + " (see toggles.stale-after and toggles.error-after)"));
    runner
        .withPropertyValues(Fixtures.freshDataSource(), "toggles.error-after=0s")
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("toggles.error-after must be positive"));
  }

  @Test
  void startWaitBoundsStartUpWhenTheStoreHangs() {
    HangingStore hanging = new HangingStore();
    long t0 = System.nanoTime();
    runner
        .withBean(ToggleStore.class, () -> hanging)
        .withPropertyValues("toggles.start-wait=200ms", "toggles.sync-interval=0")
        .run(
            ctx -> {
              assertThat(Duration.ofNanos(System.nanoTime() - t0))
                  .isLessThan(Duration.ofSeconds(20));
              assertThat(ctx.getBean(Toggles.class).health().status())
                  .isEqualTo(Health.Status.ERROR);
            });
    hanging.release();
  }

  @Test
  void missWaitBoundsACheckOfAFeatureNotLoadedYet() {
    HangingStore hanging = new HangingStore();
    runner
        .withBean(ToggleStore.class, () -> hanging)
        .withPropertyValues(
            "toggles.preload=false", "toggles.miss-wait=0ms", "toggles.sync-interval=0")
        .run(
            ctx -> {
              Toggles toggles = ctx.getBean(Toggles.class);
              long t0 = System.nanoTime();
              assertThat(toggles.isEnabled("new-checkout", Context.empty(toggles.hierarchy())))
                  .isFalse();
              assertThat(Duration.ofNanos(System.nanoTime() - t0))
                  .isLessThan(Duration.ofSeconds(5));
              assertThat(hanging.loadAllCalls()).isZero(); // preload=false: nothing loaded at start
            });
    hanging.release();
  }

  @Test
  void preloadLoadsEverythingAtStart() {
    InMemoryStore store = InMemoryStore.create(Hierarchy.DEFAULT);
    Fixtures.newCheckoutOn(store);
    runner
        .withBean(ToggleStore.class, () -> store)
        .withPropertyValues("toggles.sync-interval=0")
        .run(ctx -> assertThat(ctx.getBean(Toggles.class).cached("new-checkout")).isPresent());
    runner
        .withBean(ToggleStore.class, () -> store)
        .withPropertyValues("toggles.sync-interval=0", "toggles.preload=false")
        .run(ctx -> assertThat(ctx.getBean(Toggles.class).cached("new-checkout")).isEmpty());
  }

  @Test
  void snapshotFileIsWrittenAfterASync(@TempDir Path dir) {
    Path file = dir.resolve("toggles.json");
    runner
        .withPropertyValues(
            Fixtures.freshDataSource(),
            "toggles.jdbc.create-schema=true",
            "toggles.sync-interval=0",
            "toggles.snapshot-file=" + file)
        .run(
            ctx -> {
              ToggleAdmin admin = ctx.getBean(ToggleAdmin.class);
              Toggles toggles = ctx.getBean(Toggles.class);
              Fixtures.newCheckoutOn(admin);
              toggles.sync();
              toggles.isEnabled("new-checkout", Context.empty(toggles.hierarchy())); // loads it
              Wait.until(Duration.ofSeconds(10), () -> toggles.cached("new-checkout").isPresent());
              admin.kill("new-checkout", io.toggles.Audit.of("test", "INC-1"));
              toggles.sync();
              assertThat(file).exists();
              assertThat(Files.readString(file)).contains("new-checkout");
            });
  }

  @Test
  void theContextClosesTheTogglesAndItsOwnPool() {
    AtomicReference<JdbcStore> store = new AtomicReference<>();
    RecordingStore recording = new RecordingStore(InMemoryStore.create(Hierarchy.DEFAULT));
    runner
        .withBean(ToggleStore.class, () -> recording)
        .withPropertyValues("toggles.sync-interval=0")
        .run(ctx -> assertThat(recording.openSubscriptions()).isEqualTo(1));
    assertThat(recording.openSubscriptions()).isZero(); // Toggles.close() ends its subscription
    runner
        .withPropertyValues(
            "toggles.jdbc.url=" + Fixtures.h2Url(),
            "toggles.jdbc.create-schema=true",
            "toggles.sync-interval=0")
        .run(ctx -> store.set(ctx.getBean(JdbcStore.class)));
    assertThatThrownBy(() -> store.get().revision()).isInstanceOf(StoreException.class);
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static java.util.List<String> tables(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'")) {
      java.util.List<String> out = new java.util.ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }

  private static java.util.List<String> columns(String url, String table) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        ResultSet rs = c.getMetaData().getColumns(null, "PUBLIC", table, null)) {
      java.util.List<String> out = new java.util.ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString("COLUMN_NAME"));
      }
      return out;
    }
  }
}
