package io.toggles.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.toggles.Audit;
import io.toggles.Context;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.Hierarchy;
import io.toggles.SettingValue;
import io.toggles.Toggles;
import io.toggles.jdbc.testing.CountingDataSource;
import io.toggles.jdbc.testing.TestDatabases;
import io.toggles.testing.Await;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a node costs the database, counted at the JDBC driver: an idle sync is exactly one
 * statement, a flip is two (the revision and the changes since), never a reload.
 */
class SteadyStateCostTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final Audit AUDIT = Audit.of("alice", "INC-8");
  private static final int FEATURES = 50;
  private static final int IDLE_SYNCS = 25;
  private final Context ctx = Context.of(H, "p1", "m1", "DE");
  private final Nodes nodes = new Nodes();

  @AfterEach
  void closeNodes() throws Exception {
    nodes.close();
  }

  @Test
  void onH2AnIdleSyncIsOneStatementAndAFlipIsTwo() {
    costs(TestDatabases.h2(), "sa", false);
  }

  @Test
  void onPostgresAnIdleSyncIsOneStatementAndAFlipIsTwo() {
    costs(TestDatabases.postgresSchema(), "postgres", true);
  }

  private void costs(String url, String user, boolean notify) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setMaximumPoolSize(3);
    HikariDataSource pool = nodes.keep(new HikariDataSource(config));
    JdbcStore writer = nodes.keep(JdbcStore.builder(pool).build());
    writer.createSchema();
    for (int i = 0; i < FEATURES; i++) {
      writer.define(FeatureDefinition.bool("f" + i), AUDIT);
      writer.set("f" + i, H.global(), SettingValue.of(true), Expect.any(), AUDIT);
    }

    CountingDataSource counting = new CountingDataSource(pool);
    JdbcStore node = nodes.keep(JdbcStore.builder(counting.dataSource()).build());
    // No background sync: this test drives every sync itself (notifications still apply).
    Toggles t = nodes.toggles(Toggles.builder(node).syncInterval(Duration.ZERO));
    assertThat(t.isEnabled("f7", ctx)).isTrue();
    Await.until("the LISTEN connection", Duration.ofSeconds(10), () -> node.listening() == notify);

    long before = counting.executions();
    for (int i = 0; i < IDLE_SYNCS; i++) {
      t.sync();
    }
    assertThat(counting.executions() - before).isEqualTo(IDLE_SYNCS);

    long beforeFlip = counting.executions();
    long revision =
        writer.set("f7", H.global(), SettingValue.of(false), Expect.any(), AUDIT).revision();
    if (!notify) {
      t.sync();
    }
    // On PostgreSQL the notification makes the node sync by itself. (The node publishes the new
    // revision before it applies the change, so wait for the value.)
    Await.until("the flip on the node", Duration.ofSeconds(10), () -> !t.isEnabled("f7", ctx));
    assertThat(t.revision()).isEqualTo(revision);
    assertThat(t.isEnabled("f8", ctx)).isTrue();
    assertThat(counting.executions() - beforeFlip).isEqualTo(2);
  }
}
