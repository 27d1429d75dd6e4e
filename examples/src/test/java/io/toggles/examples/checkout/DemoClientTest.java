package io.toggles.examples.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.toggles.Audit;
import io.toggles.jdbc.JdbcStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's HTTP client against a running service: its exit codes and what it prints. */
class DemoClientTest {
  private static final String QUERY = "product=gift-cards&merchant=acme-outdoor&country=NL";

  @TempDir Path dir;

  private CheckoutApp app;
  private String base;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void start() {
    app = CheckoutApp.start(dir.resolve("db"), 0);
    base = app.baseUri().toString();
  }

  @AfterEach
  void stop() {
    app.close();
  }

  private int run(String... args) {
    return DemoClient.run(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void healthExitsZeroOnceTheServiceIsReady() {
    assertThat(run("health", base)).isZero();
    assertThat(out()).contains("GET /health -> 200").contains("(revision 13)");
  }

  @Test
  void checkoutWithTheExpectedFlowPrintsRequestAnswerAndMeaning() {
    assertThat(run("checkout", base, QUERY, "--expect", "new")).isZero();
    assertThat(out())
        .contains("GET /checkout?" + QUERY)
        .contains("\"flow\":\"new\"")
        .contains("Served by the NEW one-page checkout, paid through stripe.");
  }

  @Test
  void checkoutWithAnotherFlowExitsOneSayingWhatCameBack() {
    assertThat(run("checkout", base, QUERY, "--expect", "old")).isEqualTo(1);
    assertThat(err()).contains("FAILED: expected the old flow, the service answered new");
  }

  @Test
  void watchReportsHowLongAKillWrittenMeanwhileTookToArrive() throws Exception {
    Path ready = dir.resolve("ready");
    CompletableFuture<Integer> watch =
        CompletableFuture.supplyAsync(
            () ->
                run(
                    "watch",
                    base,
                    QUERY,
                    "--from",
                    "new",
                    "--to",
                    "old",
                    "--feature",
                    "new-checkout",
                    "--within-ms",
                    "1000",
                    "--ready-file",
                    ready.toString()));
    awaitFile(ready, watch);

    try (JdbcStore cli = JdbcStore.builder(app.jdbcUrl()).build()) {
      cli.kill("new-checkout", Audit.of("on-call", "INC-3 errors"));
    }

    assertThat(watch.get(30, TimeUnit.SECONDS)).as(err()).isZero();
    assertThat(out())
        .contains("new flow now, waiting for the old one")
        .contains("Served by the OLD five-step checkout")
        .contains("Revision 14 (kill of new-checkout)")
        .containsPattern("The flip took \\d+ ms to reach the service");
  }

  @Test
  void watchRefusesToStartWhenTheServiceIsNotInTheFromFlow() {
    Path ready = dir.resolve("ready");

    int code =
        run(
            "watch",
            base,
            QUERY,
            "--from",
            "old",
            "--to",
            "new",
            "--feature",
            "new-checkout",
            "--within-ms",
            "1000",
            "--ready-file",
            ready.toString());

    assertThat(code).isEqualTo(1);
    assertThat(err()).contains("expected the old flow before the change");
    assertThat(ready).doesNotExist();
  }

  @Test
  void badCommandLinesExitTwoWithUsage() {
    assertThat(run("checkout", base, QUERY, "--expect", "sideways")).isEqualTo(2);
    assertThat(run("dance", base)).isEqualTo(2);
    assertThat(run("health")).isEqualTo(2);
    assertThat(err()).contains("a flow is new or old, not 'sideways'").contains("usage:");
  }

  /** Waits until the watcher has written its ready file (or ended); fails after 30 s. */
  private static void awaitFile(Path file, CompletableFuture<Integer> watcher) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!Files.exists(file)) {
      if (watcher.isDone()) {
        throw new AssertionError("the watcher ended before it was ready: " + watcher.join());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the watcher was not ready after 30 s");
      }
      Thread.onSpinWait();
    }
  }
}
