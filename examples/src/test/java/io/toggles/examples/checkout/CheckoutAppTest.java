package io.toggles.examples.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toggles.Audit;
import io.toggles.Change;
import io.toggles.ChangeKind;
import io.toggles.Expect;
import io.toggles.Scope;
import io.toggles.SettingValue;
import io.toggles.jdbc.JdbcStore;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The checkout service started in-process on a free port, with its own database, over HTTP. */
class CheckoutAppTest {
  /** The README's promise: every node sees a flip within a second (here it polls every 250 ms). */
  static final Duration BOUND = Duration.ofSeconds(1);

  private static final int SEEDED_CHANGES = 13;

  @TempDir Path dbDir;

  private CheckoutApp app;
  private Service service;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void start() {
    app = CheckoutApp.start(dbDir, 0);
    service = new Service(app.baseUri());
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    app.close();
  }

  /** A second store on the service's database, as the CLI opens it (its own pool). */
  private JdbcStore cliStore() {
    JdbcStore store = JdbcStore.builder(app.jdbcUrl()).build();
    toClose.add(store);
    return store;
  }

  @Test
  void giftCardFromAcmeOutdoorInTheNetherlandsGetsTheNewCheckoutThroughStripe() throws Exception {
    Service.Reply r = service.checkout("gift-cards", "acme-outdoor", "NL");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.flow()).isEqualTo("new");
    assertThat(r.body().path("steps").toString()).isEqualTo("[\"review-and-pay\"]");
    assertThat(r.gateway()).isEqualTo("stripe");
    assertThat(r.body().path("context").toString())
        .isEqualTo("{\"product\":\"gift-cards\",\"merchant\":\"acme-outdoor\",\"country\":\"NL\"}");
    assertThat(r.body().path("revision").asLong()).isEqualTo(SEEDED_CHANGES);
  }

  @ParameterizedTest(name = "{0}/{1}/{2}: {3} flow, {4} ({5})")
  @CsvSource({
    "furniture, acme-outdoor, NL, old, worldpay, product row beats merchant and country rows",
    "tents,     acme-outdoor, NL, new, stripe,   merchant row beats country row",
    "tents,     corner-shop,  NL, new, adyen,    country row beats global row and default",
    "tents,     corner-shop,  DE, old, stripe,   global row for payment-gateway; default off",
    "ebooks,    corner-shop,  DE, new, stripe,   product rows alone",
  })
  void seededRowsResolveMostSpecificFirst(
      String product, String merchant, String country, String flow, String gateway, String why)
      throws Exception {
    Service.Reply r = service.checkout(product, merchant, country);

    assertThat(r.flow()).as(why).isEqualTo(flow);
    assertThat(r.gateway()).as(why).isEqualTo(gateway);
  }

  @Test
  void requestWithoutScopeGetsTheGlobalRowAndDefaults() throws Exception {
    Service.Reply r = service.get("/checkout");

    assertThat(r.flow()).isEqualTo("old");
    assertThat(r.gateway()).isEqualTo("stripe");
    assertThat(r.body().path("context").size()).isZero();
  }

  @Test
  void scopeIsTakenFromHeadersBeforeQueryParameters() throws Exception {
    Service.Reply r =
        service.get(
            "/checkout?product=tents&country=DE",
            "X-Toggles-Product",
            "furniture",
            "X-Toggles-Merchant",
            "acme-outdoor");

    assertThat(r.body().path("context").toString())
        .isEqualTo("{\"product\":\"furniture\",\"merchant\":\"acme-outdoor\",\"country\":\"DE\"}");
    assertThat(r.flow()).isEqualTo("old");
    assertThat(r.gateway()).isEqualTo("worldpay");
  }

  @Test
  void malformedScopeValueIsDroppedAndTheRequestStillServed() throws Exception {
    String tooLong = "gift-cards-" + "x".repeat(Scope.MAX_VALUE_LENGTH);

    Service.Reply r = service.checkout(tooLong, "corner-shop", "DE");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().path("context").has("product")).isFalse();
    assertThat(r.flow()).isEqualTo("old");
    assertThat(r.gateway()).isEqualTo("stripe");
  }

  @Test
  void killWrittenByAnotherProcessReachesTheServiceWithinTheBoundAndRevertBringsItBack()
      throws Exception {
    JdbcStore cli = cliStore();

    Change kill = cli.kill("new-checkout", Audit.of("on-call", "INC-1 checkout errors")).get();
    Duration killSeen = awaitFlow("gift-cards", "acme-outdoor", "NL", "old");

    Change revert = cli.revert(kill.revision(), Audit.of("on-call", "INC-1 fixed"));
    Duration revertSeen = awaitFlow("gift-cards", "acme-outdoor", "NL", "new");

    assertThat(killSeen).isLessThanOrEqualTo(BOUND);
    assertThat(revertSeen).isLessThanOrEqualTo(BOUND);
    assertThat(revert.kind()).isEqualTo(ChangeKind.UNKILL);
    assertThat(service.checkout("gift-cards", "acme-outdoor", "NL").gateway())
        .as("the kill touched new-checkout only")
        .isEqualTo("stripe");
  }

  @Test
  void rowSetByAnotherProcessReachesTheServiceWithinTheBound() throws Exception {
    JdbcStore cli = cliStore();
    Scope corner = Scope.of(cli.hierarchy(), null, "corner-shop", null);

    cli.set(
        "payment-gateway",
        corner,
        SettingValue.of("adyen"),
        Expect.absent(),
        Audit.of("payments-team", "PAY-300 corner-shop moves to adyen"));
    Duration seen = awaitGateway("tents", "corner-shop", "DE", "adyen");

    assertThat(seen).isLessThanOrEqualTo(BOUND);
  }

  @Test
  void restartKeepsLaterChangesAndDoesNotWriteTheStoryAgain() throws Exception {
    cliStore().kill("new-checkout", Audit.of("on-call", "INC-2 rollback"));
    app.close();

    app = CheckoutApp.start(dbDir, 0);
    service = new Service(app.baseUri());

    assertThat(service.checkout("gift-cards", "acme-outdoor", "NL").flow()).isEqualTo("old");
    assertThat(cliStore().history(Optional.empty(), 100)).hasSize(SEEDED_CHANGES + 1);
  }

  @Test
  void healthIsReadyAtTheSeededRevision() throws Exception {
    Service.Reply r = service.get("/health");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().path("status").asText()).isEqualTo("READY");
    assertThat(r.body().path("revision").asLong()).isEqualTo(SEEDED_CHANGES);
    assertThat(r.body().path("lastError").isNull()).isTrue();
  }

  @Test
  void adminEndpointReadsTheHistoryButRefusesWrites() throws Exception {
    Service.Reply history = service.get("/admin/toggles/history?feature=new-checkout");
    Service.Reply kill =
        service.send(
            HttpRequest.newBuilder(service.uri("/admin/toggles/features/new-checkout/kill"))
                .header("Content-Type", "application/json")
                .header("X-Toggles-Admin", "1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"sneaky\"}"))
                .build());

    assertThat(history.status()).isEqualTo(200);
    assertThat(history.body().path("changes").size()).isEqualTo(6);
    assertThat(kill.status()).isEqualTo(403);
    assertThat(service.checkout("gift-cards", "acme-outdoor", "NL").flow()).isEqualTo("new");
  }

  @Test
  void seededHistoryTellsTheRolloutStoryWithReasons() {
    List<Change> history = cliStore().history(Optional.empty(), 100);

    assertThat(history).hasSize(SEEDED_CHANGES);
    assertThat(history.stream().map(c -> c.reason().substring(0, 7)).toList())
        .containsExactly(
            "PAY-206", "PAY-205", "PAY-204", "PAY-203", "PAY-202", "PAY-201", "PAY-200", "CHK-106",
            "CHK-105", "CHK-104", "CHK-103", "CHK-102", "CHK-101");
    assertThat(RolloutStory.writeIfMissing(cliStore())).isEmpty();
  }

  @Test
  void secondServiceOnTheSameDatabaseWhileTheFirstRunsSeesTheSameValues() throws Exception {
    CheckoutApp second = CheckoutApp.start(dbDir, 0);
    toClose.add(second);

    Service.Reply r = new Service(second.baseUri()).checkout("furniture", "acme-outdoor", "NL");

    assertThat(r.flow()).isEqualTo("old");
    assertThat(r.gateway()).isEqualTo("worldpay");
    assertThat(cliStore().history(Optional.empty(), 100)).hasSize(SEEDED_CHANGES);
  }

  @Test
  void jdbcUrlPointsAtTheDirectoryAndRefusesASemicolon() {
    assertThat(CheckoutApp.jdbcUrl(Path.of("/srv/checkout/db")))
        .isEqualTo("jdbc:h2:file:/srv/checkout/db/toggles;AUTO_SERVER=TRUE");
    assertThatThrownBy(() -> CheckoutApp.jdbcUrl(Path.of("/tmp/a;INIT=x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("';'");
  }

  @Test
  void startRefusesAPortOutOfRange() {
    assertThatThrownBy(() -> CheckoutApp.start(dbDir, 70_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("70000");
  }

  @Test
  void startOnATakenPortFailsNamingThePortAndLeavesTheRunningServiceAlone() throws Exception {
    assertThatThrownBy(() -> CheckoutApp.start(dbDir.resolve("other"), app.port()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("127.0.0.1:" + app.port());

    assertThat(service.get("/health").status()).isEqualTo(200);
  }

  /** Asks until the flow is {@code flow}; returns how long that took. Gives up after 10 s. */
  private Duration awaitFlow(String product, String merchant, String country, String flow)
      throws Exception {
    long start = System.nanoTime();
    long deadline = start + Duration.ofSeconds(10).toNanos();
    String last;
    do {
      last = service.checkout(product, merchant, country).flow();
      if (last.equals(flow)) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
    } while (System.nanoTime() < deadline);
    throw new AssertionError("still the " + last + " flow after 10 s");
  }

  private Duration awaitGateway(String product, String merchant, String country, String gateway)
      throws Exception {
    long start = System.nanoTime();
    long deadline = start + Duration.ofSeconds(10).toNanos();
    String last;
    do {
      last = service.checkout(product, merchant, country).gateway();
      if (last.equals(gateway)) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
    } while (System.nanoTime() < deadline);
    throw new AssertionError("still " + last + " after 10 s");
  }
}
