package io.toggles.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.toggles.testing.TcpProxy;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring example over real HTTP on an embedded PostgreSQL (LISTEN/NOTIFY on), two nodes: a
 * write through one node's toggles endpoint reaches the other within the propagation bound, and
 * health follows the database through a proxy that is cut and restored.
 */
class SpringCheckoutPostgresTest {
  /** A flip is visible on every node by the poll interval plus apply time; LISTEN makes it less. */
  static final Duration PROPAGATION_BOUND = Duration.ofSeconds(3);

  private static EmbeddedPostgres postgres;
  private static TcpProxy proxy;
  private static String schema;
  private static final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

  @BeforeAll
  static void database() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    schema = "checkout";
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    }
    proxy = new TcpProxy(postgres.getPort());
  }

  @AfterAll
  static void stop() throws Exception {
    for (ConfigurableApplicationContext n : nodes) {
      n.close();
    }
    proxy.close();
    postgres.close();
  }

  private static String url(int port) {
    return "jdbc:postgresql://127.0.0.1:"
        + port
        + "/postgres?currentSchema="
        + schema
        + "&connectTimeout=2&socketTimeout=5";
  }

  /** A node of the example on {@code dbPort} (PostgreSQL's own or the proxy's). */
  private static Http node(int dbPort, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--spring.datasource.url=" + url(dbPort),
                "--spring.datasource.username=postgres",
                "--spring.datasource.hikari.connection-timeout=1000",
                "--spring.datasource.hikari.validation-timeout=500",
                "--toggles.sync-interval=250ms",
                "--toggles.start-wait=1s",
                "--toggles.health.stale-status=out-of-service",
                "--management.endpoint.health.show-details=always"));
    args.addAll(List.of(more));
    ConfigurableApplicationContext ctx =
        new SpringApplicationBuilder(SpringCheckoutApp.class).run(args.toArray(String[]::new));
    nodes.add(ctx);
    return new Http(Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port")));
  }

  @Test
  void aWriteOnOneNodeReachesTheOtherAndHealthFollowsTheDatabase() {
    Http a = node(proxy.port());
    Http b = node(postgres.getPort(), "--checkout.seed=false");
    assertThat(a.giftCardFlow()).isEqualTo("new");
    assertThat(b.giftCardFlow()).isEqualTo("new");
    assertThat(status(a)).isEqualTo("UP");

    // An authorized write through node A's endpoint reaches node B within the bound.
    HttpResponse<String> kill =
        a.post(
            "/actuator/toggles/new-checkout/kill",
            Http.ONCALL,
            "{\"reason\":\"INC-4711 errors after deploy\"}");
    assertThat(kill.statusCode()).as(kill.body()).isEqualTo(200);
    long t0 = System.nanoTime();
    waitFor(Duration.ofSeconds(30), () -> b.giftCardFlow().equals("old"));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    System.out.println("propagation A -> B: " + took.toMillis() + " ms");
    assertThat(took).isLessThan(PROPAGATION_BOUND);

    // The database goes away for node A: health says so, checks keep answering the last values.
    proxy.cut();
    waitFor(Duration.ofSeconds(30), () -> status(a).equals("OUT_OF_SERVICE"));
    assertThat(a.get("/actuator/health/toggles", Http.ONCALL).body())
        .contains("STALE", "lastError");
    assertThat(a.giftCardFlow()).isEqualTo("old");
    // A flip made meanwhile (through node B) arrives once the database is back.
    assertThat(
            b.post(
                    "/actuator/toggles/new-checkout/unkill",
                    Http.ONCALL,
                    "{\"reason\":\"INC-4711 resolved\"}")
                .statusCode())
        .isEqualTo(200);
    assertThat(a.giftCardFlow()).isEqualTo("old");
    proxy.restore();
    waitFor(Duration.ofSeconds(30), () -> status(a).equals("UP"));
    waitFor(Duration.ofSeconds(30), () -> a.giftCardFlow().equals("new"));
  }

  @Test
  void aNodeStartedWithoutItsDatabaseIsDownUntilItComesBack() {
    proxy.cut();
    Http c;
    try {
      c = node(proxy.port(), "--checkout.seed=false");
      assertThat(status(c)).isEqualTo("DOWN");
      assertThat(c.get("/actuator/health/toggles", Http.ONCALL).body()).contains("ERROR");
      assertThat(c.giftCardFlow()).isEqualTo("old"); // the default, at once
    } finally {
      proxy.restore();
    }
    waitFor(Duration.ofSeconds(60), () -> status(c).equals("UP"));
  }

  private static final Pattern STATUS =
      Pattern.compile("\"status\":\"(UP|DOWN|OUT_OF_SERVICE|UNKNOWN)\"");

  /** The toggles component's health status, or the whole answer if it has none. */
  private static String status(Http node) {
    String body = node.get("/actuator/health/toggles", Http.ONCALL).body();
    Matcher m = STATUS.matcher(body);
    return m.find() ? m.group(1) : body;
  }

  private static void waitFor(Duration deadline, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + deadline);
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // between polls, not a timed wait
    }
  }
}
