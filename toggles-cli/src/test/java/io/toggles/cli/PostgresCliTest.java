package io.toggles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CLI on embedded PostgreSQL: one server for the class, a schema of its own per test. */
class PostgresCliTest extends AbstractCliTest {
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  @Override
  String newDatabaseUrl() {
    String schema = "cli" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return postgres.getJdbcUrl("postgres", "postgres") + "&currentSchema=" + schema;
  }

  @Test
  void twoCliProcessesRacingOnOneRowExactlyOneWinsTheOtherExits3() throws Exception {
    givenFeatureWithRows(); // {product=shop} is at version 2, the revision of its write
    Counts before = stats();
    List<Process> racers = new ArrayList<>();
    for (String who : List.of("alice", "bob")) {
      ProcessBuilder pb =
          new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp",
              System.getProperty("java.class.path"),
              Main.class.getName(),
              "disable",
              F,
              "--product",
              "shop",
              "--expect-version",
              "2",
              "--actor",
              who,
              "--reason",
              "race " + who,
              "--url",
              url);
      pb.environment().remove("TOGGLES_JDBC_URL");
      racers.add(pb.start());
    }
    List<Integer> codes = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Process p : racers) {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("racer finished").isTrue();
      codes.add(p.exitValue());
      errors.add(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    assertThat(codes).as(errors.toString()).containsExactlyInAnyOrder(0, 3);
    String loserErr = errors.get(codes.indexOf(3));
    assertThat(loserErr).contains("someone else changed it; nothing was written");
    Counts after = stats();
    assertThat(after.changeCount()).isEqualTo(before.changeCount() + 1);
    assertThat(after.rowCount()).isEqualTo(before.rowCount());
    assertThat(store().read(F).rows())
        .filteredOn(s -> s.scope().asMap().equals(java.util.Map.of("product", "shop")))
        .singleElement()
        .satisfies(s -> assertThat(s.version()).isEqualTo(4));
  }
}
