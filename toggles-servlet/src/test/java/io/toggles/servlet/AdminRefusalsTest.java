package io.toggles.servlet;

import static io.toggles.servlet.AdminHttp.alice;
import static io.toggles.servlet.AdminHttp.assertError;
import static io.toggles.servlet.AdminHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.toggles.Audit;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.Hierarchy;
import io.toggles.InMemoryStore;
import io.toggles.Scope;
import io.toggles.SettingType;
import io.toggles.SettingValue;
import io.toggles.StoreException;
import io.toggles.Toggles;
import io.toggles.WriteRefusedException;
import io.toggles.WriteRefusedException.Rule;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every refusal of the write path answers 400, 404 or 409 with its message, over real HTTP: never
 * 500, never an ERROR line, and nothing written.
 */
class AdminRefusalsTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final Audit SETUP = Audit.of("setup", "test fixture");
  private static final String RAW_DATABASE_TEXT =
      "ERROR: invalid byte sequence for encoding \"UTF8\": 0x00\n  Where: toggles_settings";

  private InMemoryStore store;
  private Toggles toggles;
  private TestServer server;
  private AdminHttp http;
  private final Map<Rule, WriteRefusedException> refusals = new EnumMap<>(Rule.class);

  @BeforeEach
  void start() throws Exception {
    store = InMemoryStore.create(H);
    store.define(
        FeatureDefinition.builder("gateway", SettingType.STRING).defaultValue("stripe").build(),
        SETUP);
    store.define(FeatureDefinition.builder("region", SettingType.STRING).build(), SETUP);
    store.set("gateway", Scope.of(H, "shoes", null, null), SettingValue.of("adyen"), any(), SETUP);
    toggles = Toggles.builder(store).syncInterval(Duration.ZERO).build();
    captureEveryRefusal();

    server = new TestServer(8).fakeLogin("/*").servlet(endpoint(store), "/admin/*");
    for (Rule rule : Rule.values()) {
      WriteRefusedException refusal = refusals.get(rule);
      server.servlet(
          endpoint(TestAdmins.failingWrites(store, () -> refusal)), "/" + slug(rule) + "/*");
    }
    server.servlet(
        endpoint(
            TestAdmins.failingWrites(
                store,
                () ->
                    new StoreException(
                        "write failed: " + RAW_DATABASE_TEXT,
                        new SQLException(RAW_DATABASE_TEXT)))),
        "/down/*");
    server.start();
    http = new AdminHttp(server);
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
    toggles.close();
  }

  @Test
  void aKillOfAFeatureWithoutASafeValueIs409RefusedNamingTheRule() throws Exception {
    assertRefused(
        () -> http.post("/admin/features/region/kill", "{\"reason\":\"INC-1\"}", alice()),
        409,
        "refused",
        "a kill switch needs a safe value");
    HttpResponse<String> r =
        http.post("/admin/features/region/kill", "{\"reason\":\"INC-1\"}", alice());
    assertThat(json(r).get("rule").asText()).isEqualTo("kill_needs_safe_value");
    assertThat(store.read("region").killed()).isFalse();
  }

  @Test
  void aRevertOfADeclarationIs409Refused() throws Exception {
    long define = store.history(java.util.Optional.of("gateway"), 10).get(1).revision();
    assertThat(store.change(define).orElseThrow().kind().name()).isEqualTo("DEFINE");
    assertRefused(
        () ->
            http.post(
                "/admin/revert", "{\"revision\":" + define + ",\"reason\":\"undo\"}", alice()),
        409,
        "refused",
        "a declaration is not reverted");
  }

  /**
   * The rules a declaration or an import breaks (this endpoint has neither) are refused by the
   * store as it writes: each answers 409 with the store's own message and rule.
   */
  @Test
  void everyRuleOfTheWritePathIs409WithItsMessageAndRule() throws Exception {
    for (Rule rule : Rule.values()) {
      String message = refusals.get(rule).getMessage();
      assertRefused(
          () ->
              http.post(
                  "/" + slug(rule) + "/features/gateway/set",
                  "{\"scope\":{},\"value\":\"adyen\",\"reason\":\"r\"}",
                  alice()),
          409,
          "refused",
          message);
      HttpResponse<String> kill =
          http.post("/" + slug(rule) + "/features/gateway/kill", "{\"reason\":\"r\"}", alice());
      assertThat(json(kill).get("message").asText()).isEqualTo(message);
      assertThat(json(kill).get("rule").asText()).isEqualTo(rule.name().toLowerCase(Locale.ROOT));
    }
  }

  @Test
  void aFailedExpectationIs409Conflict() throws Exception {
    assertRefused(
        () ->
            http.post(
                "/admin/features/gateway/set",
                "{\"scope\":{\"product\":\"shoes\"},\"value\":\"x\",\"expectVersion\":0,"
                    + "\"reason\":\"r\"}",
                alice()),
        409,
        "conflict",
        "someone else changed it");
  }

  @Test
  void aRevertOfARowChangedSinceIs409Conflict() throws Exception {
    Scope shoes = Scope.of(H, "shoes", null, null);
    long first = store.set("gateway", shoes, SettingValue.of("x"), any(), SETUP).revision();
    store.set("gateway", shoes, SettingValue.of("y"), any(), SETUP);
    assertRefused(
        () -> http.post("/admin/revert", "{\"revision\":" + first + ",\"reason\":\"r\"}", alice()),
        409,
        "conflict",
        "changed again at revision");
  }

  @Test
  void writesOfAnUndeclaredFeatureAre404() throws Exception {
    String set = "{\"scope\":{},\"value\":\"x\",\"reason\":\"r\"}";
    String unset = "{\"scope\":{},\"reason\":\"r\"}";
    String reason = "{\"reason\":\"r\"}";
    for (String[] write :
        new String[][] {{"set", set}, {"unset", unset}, {"kill", reason}, {"unkill", reason}}) {
      assertRefused(
          () -> http.post("/admin/features/no-such/" + write[0], write[1], alice()),
          404,
          "not_found",
          "unknown feature 'no-such'");
    }
  }

  @Test
  void aRevertThatWouldWriteAValueOfAnotherTypeIs400() throws Exception {
    Scope de = Scope.of(H, null, null, "DE");
    store.define(FeatureDefinition.builder("fee", SettingType.STRING).build(), SETUP);
    store.set("fee", de, SettingValue.of("low"), any(), SETUP);
    long unset = store.unset("fee", de, any(), SETUP).revision();
    store.define(FeatureDefinition.builder("fee", SettingType.LONG).build(), SETUP);
    assertRefused(
        () -> http.post("/admin/revert", "{\"revision\":" + unset + ",\"reason\":\"r\"}", alice()),
        400,
        "bad_request",
        "feature 'fee' is LONG, not STRING");
  }

  @Test
  void aStoreFailureOnAWriteIs503WithAGenericMessageAndTheDetailEscapedInTheLog() throws Exception {
    long before = store.revision();
    try (LogCapture log = new LogCapture()) {
      HttpResponse<String> r =
          http.post("/down/features/gateway/kill", "{\"reason\":\"INC-2\"}", alice());
      assertError(r, 503, "store_unavailable", "the store is unavailable");
      assertThat(r.body()).doesNotContain("UTF8").doesNotContain("toggles_settings");
      assertThat(log.text())
          .doesNotContain("] ERROR ")
          .contains("invalid byte sequence")
          .contains("0x00\\u000a  Where: toggles_settings")
          .doesNotContain("0x00\n");
    }
    assertThat(store.revision()).isEqualTo(before);
  }

  // ---------------------------------------------------------------- helpers

  private interface Request {
    HttpResponse<String> send() throws Exception;
  }

  /** Sends the request; asserts the answer, that nothing was written and nothing logged ERROR. */
  private void assertRefused(Request request, int status, String code, String messagePart)
      throws Exception {
    long before = store.revision();
    try (LogCapture log = new LogCapture()) {
      HttpResponse<String> r = request.send();
      assertError(r, status, code, messagePart);
      assertThat(log.text()).doesNotContain("] ERROR ");
    }
    assertThat(store.revision()).isEqualTo(before);
  }

  private TogglesAdminServlet endpoint(io.toggles.ToggleAdmin admin) {
    return AdminHttp.endpoint(toggles, admin).build();
  }

  private static String slug(Rule rule) {
    return "refused-" + rule.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static Expect any() {
    return Expect.any();
  }

  /**
   * The refusal of each rule as a real store throws it; a rule added later without a case here is
   * still mapped, with a stand-in message.
   */
  private void captureEveryRefusal() {
    InMemoryStore s = InMemoryStore.create(H);
    FeatureDefinition withDefault =
        FeatureDefinition.builder("f", SettingType.STRING).defaultValue("a").build();
    s.define(withDefault, SETUP);
    s.set("f", Scope.of(H, "p", null, null), SettingValue.of("b"), any(), SETUP);
    s.kill("f", SETUP);
    s.define(FeatureDefinition.builder("g", SettingType.STRING).build(), SETUP);
    capture(() -> s.kill("g", SETUP));
    capture(() -> s.define(FeatureDefinition.builder("f", SettingType.STRING).build(), SETUP));
    capture(
        () ->
            s.define(
                FeatureDefinition.builder("f", SettingType.LONG)
                    .defaultValue(SettingValue.of(5L))
                    .build(),
                SETUP));
    capture(() -> s.revert(1, SETUP));
    for (Rule rule : Rule.values()) {
      refusals.computeIfAbsent(
          rule, r -> new WriteRefusedException(r, "refused by " + r + " (a stand-in message)"));
    }
  }

  private void capture(Runnable write) {
    Throwable thrown = catchThrowable(write::run);
    assertThat(thrown).isInstanceOf(WriteRefusedException.class);
    WriteRefusedException refusal = (WriteRefusedException) thrown;
    assertThat(refusals).doesNotContainKey(refusal.rule());
    refusals.put(refusal.rule(), refusal);
  }
}
