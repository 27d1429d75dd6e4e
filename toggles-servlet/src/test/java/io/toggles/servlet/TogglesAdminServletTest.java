package io.toggles.servlet;

import static io.toggles.servlet.AdminHttp.alice;
import static io.toggles.servlet.AdminHttp.as;
import static io.toggles.servlet.AdminHttp.assertBadRequest;
import static io.toggles.servlet.AdminHttp.assertForbidden;
import static io.toggles.servlet.AdminHttp.assertStatus;
import static io.toggles.servlet.AdminHttp.csrfOk;
import static io.toggles.servlet.AdminHttp.json;
import static io.toggles.servlet.AdminHttp.map;
import static io.toggles.servlet.AdminHttp.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.toggles.Audit;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.Hierarchy;
import io.toggles.InMemoryStore;
import io.toggles.Scope;
import io.toggles.SettingType;
import io.toggles.SettingValue;
import io.toggles.StoreException;
import io.toggles.ToggleAdmin;
import io.toggles.Toggles;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TogglesAdminServletTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final ObjectMapper JSON = AdminHttp.JSON;
  private static final Audit SETUP = Audit.of("setup", "test fixture");

  private InMemoryStore store;
  private Toggles toggles;
  private Toggles cold;
  private TestServer server;
  private AdminHttp http;

  @BeforeEach
  void start() throws Exception {
    store = InMemoryStore.create(H);
    store.define(
        FeatureDefinition.builder("new-checkout", SettingType.BOOLEAN)
            .defaultValue(SettingValue.of(false))
            .owner("payments")
            .description("the new checkout flow")
            .build(),
        SETUP);
    store.define(
        FeatureDefinition.builder("gateway", SettingType.STRING)
            .defaultValue("stripe")
            .owner("payments")
            .build(),
        SETUP);
    setGateway(scope("shoes", null, null), "adyen");
    setGateway(scope(null, "m1", null), "paypal");
    setGateway(scope(null, null, "DE"), "klarna");
    setGateway(scope("shoes", null, "DE"), "worldpay");
    toggles = Toggles.builder(store).syncInterval(Duration.ZERO).build();
    cold = Toggles.builder(store).syncInterval(Duration.ZERO).preload(false).build();

    AdminAuthorizer byUser =
        (request, action) -> {
          String user = request.getRemoteUser();
          if ("alice".equals(user)) {
            return true;
          }
          if ("bob".equals(user)) {
            return !action.isWrite();
          }
          if ("carol".equals(user)) {
            return action.feature().filter("gateway"::equals).isPresent();
          }
          return !action.isWrite();
        };
    ToggleAdmin down = TestAdmins.failing(H, () -> new StoreException("database unreachable"));
    ToggleAdmin broken =
        TestAdmins.failing(H, () -> new IllegalStateException("secret internal detail"));
    server =
        new TestServer(16)
            .fakeLogin("/*")
            .filter(TogglesFilter.of(H), "/app/*")
            .servlet(new Check(), "/app/check")
            .servlet(
                TogglesAdminServlet.builder(toggles, store)
                    .authorizer(byUser)
                    .allowWrites(true)
                    .allowedOrigins("https://admin.example.com")
                    .serverName("127.0.0.1")
                    .build(),
                "/admin/*")
            .servlet(
                TogglesAdminServlet.builder(toggles, store).authorizer((r, a) -> true).build(),
                "/readonly/*")
            .servlet(
                TogglesAdminServlet.builder(toggles, store).allowWrites(true).build(), "/noauth/*")
            .servlet(TogglesAdminServlet.builder(cold, store).build(), "/cold/*")
            .servlet(TogglesAdminServlet.builder(toggles, down).build(), "/down/*")
            .servlet(TogglesAdminServlet.builder(toggles, broken).build(), "/broken/*")
            .servlet(
                TogglesAdminServlet.builder(toggles, store)
                    .authorizer((r, a) -> true)
                    .allowWrites(true)
                    .maxPageSize(2)
                    .maxBodyBytes(1024)
                    .build(),
                "/tiny/*")
            .start();
    http = new AdminHttp(server);
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
    toggles.close();
    cold.close();
  }

  // ---------------------------------------------------------------- reads

  @Test
  void healthReportsTheRevisionSeenAndIs503BeforeTheFirstSync() throws Exception {
    HttpResponse<String> up = server.get("/admin/health");
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(json(up).get("status").asText()).isEqualTo("ready");
    assertThat(json(up).get("revision").asLong()).isEqualTo(store.revision());
    assertThat(json(up).get("lastSync").asText()).isNotBlank();
    assertThat(json(up).get("lastError").isNull()).isTrue();
    assertThat(json(up).get("fromSnapshot").asBoolean()).isFalse();

    HttpResponse<String> starting = server.get("/cold/health");
    assertThat(starting.statusCode()).isEqualTo(503);
    assertThat(json(starting).get("status").asText()).isEqualTo("error");
    assertThat(json(starting).get("revision").asLong()).isEqualTo(-1);
    assertThat(json(starting).get("lastSync").isNull()).isTrue();
  }

  @Test
  void everyAnswerIsJsonWithNosniffErrorsIncluded() throws Exception {
    for (HttpResponse<String> r :
        List.of(server.get("/admin/health"), server.get("/admin/nothing-here"))) {
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json;charset=utf-8");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    }
    HttpResponse<String> notFound = server.get("/admin/nothing-here");
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(json(notFound).get("error").asText()).isEqualTo("not_found");
  }

  @Test
  void wrongMethodIs405WithAllow() throws Exception {
    HttpResponse<String> r = server.get("/admin/features/new-checkout/set");
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    HttpResponse<String> post = http.post("/admin/features", "{}", alice());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET");
  }

  @Test
  void listsFeaturesWithKillStateAndRowCountPageByPage() throws Exception {
    store.kill("new-checkout", SETUP);
    JsonNode first = json(server.get("/admin/features?limit=1"));
    assertThat(first.get("total").asInt()).isEqualTo(2);
    assertThat(first.get("nextOffset").asInt()).isEqualTo(1);
    JsonNode gateway = first.get("features").get(0);
    assertThat(gateway.get("key").asText()).isEqualTo("gateway");
    assertThat(gateway.get("type").asText()).isEqualTo("string");
    assertThat(gateway.get("defaultValue").asText()).isEqualTo("stripe");
    assertThat(gateway.get("owner").asText()).isEqualTo("payments");
    assertThat(gateway.get("killed").asBoolean()).isFalse();
    assertThat(gateway.get("rowCount").asInt()).isEqualTo(4);

    JsonNode second = json(server.get("/admin/features?limit=1&offset=1"));
    assertThat(second.get("features")).hasSize(1);
    JsonNode checkout = second.get("features").get(0);
    assertThat(checkout.get("key").asText()).isEqualTo("new-checkout");
    assertThat(checkout.get("killed").asBoolean()).isTrue();
    assertThat(checkout.get("rowCount").asInt()).isZero();
    assertThat(second.get("nextOffset").isNull()).isTrue();

    JsonNode one = json(server.get("/admin/features/new-checkout"));
    assertThat(one.get("description").asText()).isEqualTo("the new checkout flow");
    assertThat(server.get("/admin/features/no-such-feature").statusCode()).isEqualTo(404);
  }

  @Test
  void rowsArePaginatedMostSpecificFirstWithACappedPageSize() throws Exception {
    JsonNode p1 = json(server.get("/tiny/features/gateway/rows?limit=2"));
    JsonNode p2 = json(server.get("/tiny/features/gateway/rows?limit=2&offset=2"));
    assertThat(p1.get("total").asInt()).isEqualTo(4);
    assertThat(p1.get("rows")).hasSize(2);
    assertThat(p1.get("nextOffset").asInt()).isEqualTo(2);
    assertThat(p2.get("rows")).hasSize(2);
    assertThat(p2.get("nextOffset").isNull()).isTrue();
    JsonNode top = p1.get("rows").get(0);
    assertThat(map(top.get("scope"))).isEqualTo(Map.of("product", "shoes", "country", "DE"));
    assertThat(top.get("value").asText()).isEqualTo("worldpay");
    assertThat(top.get("version").asLong()).isEqualTo(6); // the revision of its write
    Set<Map<String, String>> scopes = new HashSet<>();
    for (JsonNode page : List.of(p1, p2)) {
      page.get("rows").forEach(r -> scopes.add(map(r.get("scope"))));
    }
    assertThat(scopes)
        .containsExactlyInAnyOrder(
            Map.of("product", "shoes", "country", "DE"),
            Map.of("product", "shoes"),
            Map.of("merchant", "m1"),
            Map.of("country", "DE"));
    // Default page of the tiny endpoint is its maximum, 2.
    assertThat(json(server.get("/tiny/features/gateway/rows")).get("rows")).hasSize(2);

    assertBadRequest(server.get("/tiny/features/gateway/rows?limit=3"), "must be 1 to 2");
    assertBadRequest(server.get("/admin/features/gateway/rows?limit=abc"), "not an integer");
    assertBadRequest(server.get("/admin/features/gateway/rows?offset=-1"), "offset");
    assertBadRequest(server.get("/admin/features/gateway/rows?page=2"), "unknown query parameter");
    assertBadRequest(server.get("/admin/features/gateway/rows?limit=1&limit=2"), "more than once");
  }

  @Test
  void evalExplainsTheWinnerTheRowsItOutrankedAndTheExcludedRows() throws Exception {
    JsonNode e =
        json(server.get("/admin/eval?feature=gateway&product=shoes&merchant=m1&country=DE"));
    assertThat(e.get("outcome").asText()).isEqualTo("row");
    assertThat(e.get("value").asText()).isEqualTo("worldpay");
    assertThat(e.get("type").asText()).isEqualTo("string");
    assertThat(map(e.get("context")))
        .isEqualTo(Map.of("product", "shoes", "merchant", "m1", "country", "DE"));
    assertThat(map(e.get("winner").get("scope")))
        .isEqualTo(Map.of("product", "shoes", "country", "DE"));
    Map<Map<String, String>, String> lostOn = new LinkedHashMap<>();
    e.get("outranked").forEach(o -> lostOn.put(map(o.get("scope")), o.get("lostOn").asText()));
    assertThat(lostOn)
        .containsEntry(Map.of("product", "shoes"), "country")
        .containsEntry(Map.of("merchant", "m1"), "product")
        .containsEntry(Map.of("country", "DE"), "product");
    assertThat(e.get("excluded")).isEmpty();
    assertThat(e.get("revision").asLong()).isEqualTo(toggles.revision());
    assertThat(e.get("text").asText()).contains("winner");

    JsonNode d = json(server.get("/admin/eval?feature=gateway&product=hats"));
    assertThat(d.get("outcome").asText()).isEqualTo("default");
    assertThat(d.get("value").asText()).isEqualTo("stripe");
    assertThat(d.get("winner").isNull()).isTrue();
    assertThat(d.get("excludedTotal").asInt()).isEqualTo(4);
    List<String> dims = new ArrayList<>();
    d.get("excluded").forEach(x -> dims.add(x.get("dimension").asText()));
    assertThat(dims).containsExactlyInAnyOrder("product", "product", "merchant", "country");

    assertBadRequest(server.get("/admin/eval?feature=gateway&merchant=%20m1"), "whitespace");
    assertBadRequest(server.get("/admin/eval?product=shoes"), "'feature' is required");
    assertBadRequest(server.get("/admin/eval?feature=gateway&colour=red"), "unknown query");
  }

  @Test
  void storeFailuresAre503AndOtherFailures500WithoutDetails() throws Exception {
    HttpResponse<String> down = server.get("/down/features");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(json(down).get("error").asText()).isEqualTo("store_unavailable");
    HttpResponse<String> broken = server.get("/broken/features");
    assertThat(broken.statusCode()).isEqualTo(500);
    assertThat(json(broken).get("error").asText()).isEqualTo("internal");
    assertThat(broken.body())
        .doesNotContain("secret")
        .doesNotContain("Exception")
        .doesNotContain("at io.");
  }

  // ---------------------------------------------------------------- writes

  @Test
  void aFlipThroughTheEndpointIsVisibleToTheNextRequestThroughTheFilter() throws Exception {
    assertThat(check("shoes")).isEqualTo("false");

    HttpResponse<String> set =
        http.post(
            "/admin/features/new-checkout/set",
            "{\"scope\":{\"product\":\"shoes\"},\"value\":true,\"reason\":\"pilot on shoes\"}",
            alice());
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    JsonNode change = json(set).get("change");
    assertThat(json(set).get("changed").asBoolean()).isTrue();
    assertThat(json(set).get("synced").asBoolean()).isTrue();
    assertThat(change.get("kind").asText()).isEqualTo("set");
    assertThat(change.get("actor").asText()).isEqualTo("alice");
    assertThat(change.get("reason").asText()).isEqualTo("pilot on shoes");
    assertThat(change.get("newValue").asText()).isEqualTo("true");
    assertThat(change.get("oldValue").isNull()).isTrue();
    assertThat(change.get("newVersion").asLong()).isEqualTo(change.get("revision").asLong());
    long setRevision = change.get("revision").asLong();

    assertThat(check("shoes")).isEqualTo("true");
    assertThat(check("hats")).isEqualTo("false");

    HttpResponse<String> kill =
        http.post("/admin/features/new-checkout/kill", "{\"reason\":\"INC-42\"}", alice());
    assertThat(json(kill).get("change").get("kind").asText()).isEqualTo("kill");
    assertThat(check("shoes")).isEqualTo("false");
    HttpResponse<String> again =
        http.post("/admin/features/new-checkout/kill", "{\"reason\":\"INC-42\"}", alice());
    assertThat(json(again).get("changed").asBoolean()).isFalse();
    assertThat(json(again).get("change").isNull()).isTrue();

    http.post("/admin/features/new-checkout/unkill", "{\"reason\":\"fixed\"}", alice());
    assertThat(check("shoes")).isEqualTo("true");

    HttpResponse<String> revert =
        http.post(
            "/admin/revert",
            "{\"revision\":" + setRevision + ",\"reason\":\"undo pilot\"}",
            alice());
    assertThat(revert.statusCode()).as(revert.body()).isEqualTo(200);
    assertThat(json(revert).get("change").get("revertOf").asLong()).isEqualTo(setRevision);
    assertThat(check("shoes")).isEqualTo("false");

    JsonNode history = json(server.get("/admin/history?feature=new-checkout&limit=4"));
    List<String> actors = new ArrayList<>();
    List<String> kinds = new ArrayList<>();
    history
        .get("changes")
        .forEach(
            c -> {
              actors.add(c.get("actor").asText());
              kinds.add(c.get("kind").asText());
            });
    assertThat(actors).containsOnly("alice");
    assertThat(kinds).containsExactly("unset", "unkill", "kill", "set");
    assertThat(store.history(java.util.Optional.of("new-checkout"), 1).get(0).actor())
        .isEqualTo("alice");
  }

  @Test
  void writesAreRefusedWithoutAnAuthorizer() throws Exception {
    long before = store.revision();
    HttpResponse<String> r =
        http.post("/noauth/features/new-checkout/kill", "{\"reason\":\"x\"}", alice());
    assertForbidden(r, "no AdminAuthorizer");
    // Reads stay open without an authorizer.
    assertThat(server.get("/noauth/features").statusCode()).isEqualTo(200);
    assertThat(store.revision()).isEqualTo(before);
  }

  @Test
  void writesAreRefusedWhenTheAuthorizerSaysNo() throws Exception {
    long before = store.revision();
    assertForbidden(
        http.post("/admin/features/new-checkout/kill", "{\"reason\":\"x\"}", as("bob")),
        "not permitted: kill of 'new-checkout'");
    assertForbidden(
        http.post("/admin/features/new-checkout/kill", "{\"reason\":\"x\"}", as("carol")),
        "not permitted");
    assertThat(store.revision()).isEqualTo(before);
    // carol may change the gateway, and only revert changes of the gateway.
    HttpResponse<String> ok =
        http.post(
            "/admin/features/gateway/set",
            "{\"scope\":{\"merchant\":\"m2\"},\"value\":\"adyen\",\"reason\":\"migrate m2\"}",
            as("carol"));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    long checkoutChange = store.define(FeatureDefinition.bool("other"), SETUP).revision();
    assertForbidden(
        http.post(
            "/admin/revert", "{\"revision\":" + checkoutChange + ",\"reason\":\"x\"}", as("carol")),
        "not permitted: revert of 'other'");
  }

  @Test
  void writesAreRefusedWithoutAnAuthenticatedPrincipal() throws Exception {
    long before = store.revision();
    assertForbidden(
        http.post("/admin/features/new-checkout/kill", "{\"reason\":\"x\"}", csrfOk()),
        "authenticated user");
    assertThat(store.revision()).isEqualTo(before);
  }

  @Test
  void writesAreRefusedWhenNotEnabled() throws Exception {
    long before = store.revision();
    assertForbidden(
        http.post("/readonly/features/new-checkout/kill", "{\"reason\":\"x\"}", alice()),
        "disabled");
    assertThat(store.revision()).isEqualTo(before);
  }

  @Test
  void crossSiteStyleRequestsAreRefused() throws Exception {
    long before = store.revision();
    String path = "/admin/features/new-checkout/kill";
    String body = "{\"reason\":\"csrf\"}";
    // A form post cannot carry JSON's content type.
    assertStatus(
        http.post(
            path,
            "reason=csrf",
            "X-Test-User",
            "alice",
            "X-Toggles-Admin",
            "1",
            "Content-Type",
            "application/x-www-form-urlencoded"),
        415);
    assertStatus(
        http.post(
            path,
            body,
            "X-Test-User",
            "alice",
            "X-Toggles-Admin",
            "1",
            "Content-Type",
            "text/plain"),
        415);
    assertStatus(http.post(path, body, "X-Test-User", "alice", "X-Toggles-Admin", "1"), 415);
    assertStatus(
        http.post(
            path,
            body,
            "X-Test-User",
            "alice",
            "X-Toggles-Admin",
            "1",
            "Content-Type",
            "application/json; charset=iso-8859-1"),
        415);
    // A simple cross-origin request cannot carry the custom header.
    assertForbidden(
        http.post(path, body, "X-Test-User", "alice", "Content-Type", "application/json"),
        "X-Toggles-Admin: 1");
    assertForbidden(
        http.post(
            path,
            body,
            "X-Test-User",
            "alice",
            "Content-Type",
            "application/json",
            "X-Toggles-Admin",
            "yes"),
        "X-Toggles-Admin: 1");
    // A foreign or opaque origin is refused even with everything else right.
    assertForbidden(
        http.post(path, body, with(alice(), "Origin", "https://evil.example")), "origin");
    assertForbidden(http.post(path, body, with(alice(), "Origin", "null")), "origin");
    assertForbidden(
        http.post(path, body, with(alice(), "Origin", server.origin() + ".evil.example")),
        "origin");
    assertThat(store.revision()).isEqualTo(before);

    // The endpoint's own origin and the configured one are accepted.
    assertStatus(http.post(path, body, with(alice(), "Origin", server.origin())), 200);
    assertStatus(
        http.post(
            "/admin/features/new-checkout/unkill",
            body,
            with(alice(), "Origin", "https://admin.example.com")),
        200);
  }

  @Test
  void aBodyOverTheCapIs413AndChangesNothing() throws Exception {
    long before = store.revision();
    String big = "{\"reason\":\"" + "x".repeat(70 * 1024) + "\"}";
    assertStatus(http.post("/admin/features/new-checkout/kill", big, alice()), 413);
    // Without a Content-Length (chunked), the cap is enforced while reading.
    HttpRequest.Builder chunked =
        HttpRequest.newBuilder(server.uri("/admin/features/new-checkout/kill"))
            .headers(alice())
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))));
    assertStatus(server.send(chunked), 413);
    String twoKib = "{\"reason\":\"" + "x".repeat(2048) + "\"}";
    assertStatus(http.post("/tiny/features/new-checkout/kill", twoKib, alice()), 413);
    assertThat(store.revision()).isEqualTo(before);
  }

  @Test
  void badWriteInputIs400WithAClearMessageAndChangesNothing() throws Exception {
    long before = store.revision();
    String set = "/admin/features/new-checkout/set";
    assertBadRequest(
        http.post(set, "{\"scope\":{},\"value\":\"maybe\",\"reason\":\"r\"}", alice()),
        "not a boolean");
    assertBadRequest(
        http.post(set, "{\"scope\":{},\"value\":true}", alice()), "'reason' is required");
    assertBadRequest(
        http.post(set, "{\"scope\":{},\"value\":true,\"reason\":\"  \"}", alice()),
        "reason is blank");
    assertBadRequest(
        http.post(set, "{\"scope\":{},\"value\":true,\"reson\":\"r\"}", alice()),
        "unknown field 'reson'");
    assertBadRequest(
        http.post(set, "{\"scope\":{\"colour\":\"red\"},\"value\":true,\"reason\":\"r\"}", alice()),
        "unknown dimension 'colour'");
    assertBadRequest(
        http.post(
            set,
            "{\"scope\":{\"product\":\"" + "p".repeat(129) + "\"},\"value\":true,\"reason\":\"r\"}",
            alice()),
        "129 characters long");
    assertBadRequest(
        http.post(set, "{\"value\":true,\"reason\":\"r\"}", alice()), "'scope' is required");
    assertBadRequest(
        http.post(set, "{\"scope\":{},\"value\":{\"a\":1},\"reason\":\"r\"}", alice()),
        "'value' must be");
    assertBadRequest(http.post(set, "{not json", alice()), "not valid JSON");
    assertBadRequest(http.post(set, "[1,2]", alice()), "must be a JSON object");
    assertBadRequest(
        http.post("/admin/revert", "{\"revision\":999,\"reason\":\"r\"}", alice()),
        "no change at revision 999");
    assertBadRequest(
        http.post("/admin/revert", "{\"revision\":\"1; drop table\",\"reason\":\"r\"}", alice()),
        "positive integer");
    assertThat(store.revision()).isEqualTo(before);
  }

  @Test
  void conflictsAre409AndChangeNothing() throws Exception {
    long before = store.revision();
    String set = "/admin/features/gateway/set";
    HttpResponse<String> exists =
        http.post(
            set,
            "{\"scope\":{\"product\":\"shoes\"},\"value\":\"x\",\"expectVersion\":0,\"reason\":\"r\"}",
            alice());
    assertThat(exists.statusCode()).isEqualTo(409);
    assertThat(json(exists).get("error").asText()).isEqualTo("conflict");
    assertStatus(
        http.post(
            set,
            "{\"scope\":{\"product\":\"shoes\"},\"value\":\"x\",\"expectVersion\":7,\"reason\":\"r\"}",
            alice()),
        409);
    assertStatus(
        http.post(
            "/admin/features/gateway/unset",
            "{\"scope\":{\"product\":\"hats\"},\"reason\":\"r\"}",
            alice()),
        409);
    assertThat(store.revision()).isEqualTo(before);
    // With the right version the write goes through.
    assertStatus(
        http.post(
            set,
            "{\"scope\":{\"product\":\"shoes\"},\"value\":\"x\",\"expectVersion\":3,\"reason\":\"r\"}",
            alice()),
        200);
  }

  @Test
  void echoedInputIsEscaped() throws Exception {
    String script = "<script>alert(1)</script>";
    HttpResponse<String> r =
        server.get("/admin/eval?feature=" + URLEncoder.encode(script, StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).doesNotContain("<").doesNotContain(">").doesNotContain("'");
    assertThat(json(r).get("message").asText()).contains(script);

    HttpResponse<String> param = server.get("/admin/features?%3Cb%3E=1");
    assertThat(param.body()).doesNotContain("<b>");
    assertThat(json(param).get("message").asText()).contains("<b>");

    String img = "<img src=x onerror=alert(1)>&\u2028";
    assertStatus(
        http.post(
            "/admin/features/gateway/set",
            JSON.writeValueAsString(
                Map.of("scope", Map.of("merchant", "m9"), "value", img, "reason", "escape test")),
            alice()),
        200);
    HttpResponse<String> rows = server.get("/admin/features/gateway/rows");
    assertThat(rows.body()).doesNotContain("<img").doesNotContain("&").doesNotContain("\u2028");
    List<String> values = new ArrayList<>();
    json(rows).get("rows").forEach(row -> values.add(row.get("value").asText()));
    assertThat(values).contains(img);
  }

  // ---------------------------------------------------------------- helpers

  private void setGateway(Scope scope, String value) {
    store.set("gateway", scope, SettingValue.of(value), Expect.any(), SETUP);
  }

  private static Scope scope(String product, String merchant, String country) {
    return Scope.of(H, product, merchant, country);
  }

  private String check(String product) throws Exception {
    HttpResponse<String> r =
        server.get("/app/check?feature=new-checkout", "X-Toggles-Product", product);
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** Answers whether ?feature= is on for the request's bound context. */
  private final class Check extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      resp.getWriter()
          .write(
              String.valueOf(
                  toggles.isEnabled(req.getParameter("feature"), RequestContext.current())));
    }
  }
}
