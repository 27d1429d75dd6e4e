package io.toggles.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.toggles.Toggles;
import io.toggles.servlet.TogglesAdminServlet;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The Spring example over real HTTP on H2: checkout, health, the toggles endpoint, metrics. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:spring-checkout-h2;DB_CLOSE_DELAY=-1",
      "toggles.sync-interval=100ms"
    })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpringCheckoutH2Test {
  @LocalServerPort int port;
  @Autowired Toggles toggles;
  private Http http;

  @BeforeEach
  void client() {
    http = new Http(port);
  }

  @Test
  @Order(1)
  void theRolloutStoryDecidesEachShoppersCheckout() {
    assertThat(http.giftCardFlow()).isEqualTo("new");
    assertThat(
            http.get("/checkout?product=furniture&merchant=acme-outdoor&country=NL", null).body())
        .contains("\"flow\":\"old\"", "\"gateway\":\"worldpay\"");
    assertThat(http.get("/checkout?product=tents&merchant=corner-shop&country=NL", null).body())
        .contains("\"flow\":\"new\"", "\"gateway\":\"adyen\"");
    // The same scope as headers, which the starter's filter also reads.
    assertThat(
            http.get(
                    "/checkout", null, "X-Toggles-Product", "gift-cards", "X-Toggles-Country", "NL")
                .body())
        .contains("\"flow\":\"new\"", "\"gateway\":\"stripe\"");
  }

  @Test
  @Order(2)
  void healthHasATogglesComponent() {
    HttpResponse<String> r = http.get("/actuator/health/toggles", Http.ONCALL);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"status\":\"UP\"", "\"READY\"", "revision");
  }

  @Test
  @Order(3)
  void theEndpointReadsForAnAuthenticatedCallerOnly() {
    assertThat(http.get("/actuator/toggles", null).statusCode()).isEqualTo(401);
    HttpResponse<String> r = http.get("/actuator/toggles?history=3", Http.VIEWER);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("new-checkout", "payment-gateway", "\"history\"");
    HttpResponse<String> eval =
        http.get(
            "/actuator/toggles/payment-gateway/eval?context=product%3Dp-1%26country%3DNL",
            Http.VIEWER);
    assertThat(eval.body()).contains("\"value\":\"adyen\"", "\"outcome\":\"row\"");
    assertThat(http.get("/actuator/toggles/new-checkout", Http.VIEWER).body())
        .contains("\"rowCount\":5");
  }

  @Test
  @Order(4)
  void aWriteNeedsTheAuthorityAndAReasonAndReachesTheCheckout() {
    String kill = "/actuator/toggles/new-checkout/kill";
    assertThat(http.post(kill, Http.VIEWER, "{\"reason\":\"INC-1\"}").statusCode()).isEqualTo(403);
    assertThat(http.post(kill, null, "{\"reason\":\"INC-1\"}").statusCode()).isEqualTo(401);
    HttpResponse<String> noReason = http.post(kill, Http.ONCALL, "{}");
    assertThat(noReason.statusCode()).isEqualTo(400);
    assertThat(noReason.body()).contains("reason");
    assertThat(http.giftCardFlow()).isEqualTo("new");
    HttpResponse<String> ok = http.post(kill, Http.ONCALL, "{\"reason\":\"INC-4711 errors\"}");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("\"actor\":\"oncall\"", "\"kind\":\"kill\"");
    assertThat(http.giftCardFlow()).isEqualTo("old"); // this node synced after the write
  }

  @Test
  @Order(5)
  void theAdminServletWritesForTheAuthorityToo() {
    String unkill = "/admin/toggles/features/new-checkout/unkill";
    String body = "{\"reason\":\"INC-4711 resolved\"}";
    assertThat(
            http.post(unkill, Http.VIEWER, body, TogglesAdminServlet.CSRF_HEADER, "1").statusCode())
        .isEqualTo(403);
    HttpResponse<String> ok =
        http.post(unkill, Http.ONCALL, body, TogglesAdminServlet.CSRF_HEADER, "1");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(http.giftCardFlow()).isEqualTo("new");
  }

  @Test
  @Order(6)
  void metersAreInTheMetricsEndpointAndThePrometheusScrape() {
    HttpResponse<String> revision = http.get("/actuator/metrics/toggles.revision", Http.VIEWER);
    assertThat(revision.statusCode()).isEqualTo(200);
    assertThat(revision.body()).contains("\"value\":" + (double) toggles.revision());
    assertThat(http.get("/actuator/metrics/toggles.state?tag=state:ready", Http.VIEWER).body())
        .contains("\"value\":1.0");
    assertThat(http.get("/actuator/metrics/toggles.features.cached", Http.VIEWER).body())
        .contains("\"value\":2.0");
    HttpResponse<String> scrape = http.get("/actuator/prometheus", Http.VIEWER);
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body())
        .contains("toggles_revision ")
        .contains("toggles_state{state=\"ready\"} 1.0")
        .contains("toggles_staleness_seconds ")
        .contains("toggles_snapshot_serving 0.0")
        .contains("toggles_sync_duration_seconds_count{outcome=\"success\"} ")
        .contains("toggles_sync_failures_total 0.0")
        .containsPattern("toggles_change_lag_seconds_count [1-9]"); // the writes of the tests above
  }

  @Test
  @Order(7)
  void everyCheckoutIsCountedPerFeatureAndOutcomeInTheScrape() {
    String newFlow = "toggles_evaluations_total{feature=\"new-checkout\",outcome=\"true\"}";
    String gateway = "toggles_evaluations_total{feature=\"payment-gateway\",outcome=\"value\"}";
    http.giftCardFlow(); // registered at the first sync after a feature's first check
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!scrape().contains(gateway)) {
      assertThat(System.nanoTime()).as("both series scraped within 30 s").isLessThan(deadline);
      Thread.onSpinWait();
    }
    double checks = value(scrape(), newFlow);
    double gateways = value(scrape(), gateway);
    for (int i = 0; i < 3; i++) {
      assertThat(http.giftCardFlow()).isEqualTo("new");
    }
    String after = scrape();
    assertThat(value(after, newFlow)).isEqualTo(checks + 3); // one check of each per checkout
    assertThat(value(after, gateway)).isEqualTo(gateways + 3);
    assertThat(
            http.get(
                    "/actuator/metrics/toggles.evaluations?tag=feature:new-checkout&tag=outcome:true",
                    Http.VIEWER)
                .body())
        .contains("\"value\":" + (checks + 3));
  }

  private String scrape() {
    return http.get("/actuator/prometheus", Http.VIEWER).body();
  }

  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile(Pattern.quote(series) + " (\\S+)").matcher(scrape);
    assertThat(m.find()).as("series %s in the scrape", series).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
