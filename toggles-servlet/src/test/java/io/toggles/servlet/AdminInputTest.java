package io.toggles.servlet;

import static io.toggles.servlet.AdminHttp.alice;
import static io.toggles.servlet.AdminHttp.assertBadRequest;
import static io.toggles.servlet.AdminHttp.assertStatus;
import static io.toggles.servlet.AdminHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.toggles.Audit;
import io.toggles.FeatureDefinition;
import io.toggles.Hierarchy;
import io.toggles.InMemoryStore;
import io.toggles.Scope;
import io.toggles.SettingType;
import io.toggles.SettingValue;
import io.toggles.Toggles;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile input to the admin endpoint over real HTTP: duplicate keys, control characters, invalid
 * UTF-8, numbers a double would round. Each is refused with 400 naming the field, and writes
 * nothing.
 */
class AdminInputTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final Audit SETUP = Audit.of("setup", "test fixture");
  private static final String SET = "/admin/features/gateway/set";

  private InMemoryStore store;
  private Toggles toggles;
  private TestServer server;
  private AdminHttp http;

  @BeforeEach
  void start() throws Exception {
    store = InMemoryStore.create(H);
    store.define(
        FeatureDefinition.builder("gateway", SettingType.STRING).defaultValue("stripe").build(),
        SETUP);
    store.define(FeatureDefinition.builder("fee-rate", SettingType.DECIMAL).build(), SETUP);
    store.define(FeatureDefinition.builder("max-items", SettingType.LONG).build(), SETUP);
    store.define(FeatureDefinition.builder("layout", SettingType.JSON).build(), SETUP);
    toggles = Toggles.builder(store).syncInterval(Duration.ZERO).build();
    server =
        new TestServer(8)
            .fakeLogin("/*")
            .servlet(AdminHttp.endpoint(toggles, store).build(), "/admin/*")
            .start();
    http = new AdminHttp(server);
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
    toggles.close();
  }

  // ---------------------------------------------------------------- duplicate keys

  @Test
  void aDuplicateKeyIs400AtEveryDepthAndWritesNothing() throws Exception {
    long before = store.revision();
    // The case of the report: the last "scope" winning wrote a global row.
    assertSetRefused(
        "{\"scope\":{\"merchant\":\"m1\"},\"scope\":{},\"value\":\"x\",\"reason\":\"r\"}",
        "request body has field 'scope' more than once");
    assertSetRefused(
        "{\"scope\":{\"merchant\":\"m1\",\"merchant\":\"m2\"},\"value\":\"x\",\"reason\":\"r\"}",
        "field 'scope.merchant' more than once");
    assertBadRequest(
        http.post("/admin/features/gateway/kill", "{\"reason\":\"a\",\"reason\":\"b\"}", alice()),
        "field 'reason' more than once");
    assertSetRefused(
        "{\"scope\":{},\"value\":[{\"a\":{\"b\":1,\"b\":2}}],\"reason\":\"r\"}",
        "field 'value[0].a.b' more than once");
    assertThat(store.revision()).isEqualTo(before);
    assertThat(store.read("gateway").rows()).isEmpty();
  }

  // ---------------------------------------------------------------- control characters

  @Test
  void aControlCharacterInAnyFieldIs400NamingTheField() throws Exception {
    long before = store.revision();
    assertSetRefused(
        "{\"scope\":{},\"value\":\"x\",\"reason\":\"a\\u0000b\"}",
        "field 'reason' has a control character (U+0000) at character 2");
    // Raw, unescaped: not valid JSON, but named like the escaped one.
    assertSetRefused(
        bytes("{\"scope\":{},\"value\":\"x\",\"reason\":\"a", 0, "\"}"),
        "field 'reason' has a control character (U+0000)");
    assertSetRefused(
        "{\"scope\":{\"merchant\":\"m\\u0000\"},\"value\":\"x\",\"reason\":\"r\"}",
        "field 'scope.merchant' has a control character (U+0000)");
    assertSetRefused(
        "{\"scope\":{},\"value\":\"x\\u0000\",\"reason\":\"r\"}",
        "field 'value' has a control character (U+0000)");
    assertSetRefused(
        "{\"scope\":{\"a\\u0007\":\"m\"},\"value\":\"x\",\"reason\":\"r\"}",
        "a field name in field 'scope' has a control character (U+0007)");
    for (String c : new String[] {"\\u001b", "\\u007f", "\\u0085", "\\n", "\\t"}) {
      assertSetRefused(
          "{\"scope\":{},\"value\":\"x\",\"reason\":\"r" + c + "\"}",
          "field 'reason' has a control character");
    }
    assertThat(store.revision()).isEqualTo(before);
  }

  @Test
  void aValueMaySpanLinesAndKeepsWhatItHolds() throws Exception {
    String doc = "{\n\t\"columns\": 2,\r\n\t\"title\": \"Gr\u00fc\u00dfe \ud83c\udf89\"\n}";
    HttpResponse<String> r =
        http.post(
            "/admin/features/layout/set",
            AdminHttp.JSON.writeValueAsString(
                java.util.Map.of("scope", java.util.Map.of(), "value", doc, "reason", "layout")),
            alice());
    assertStatus(r, 200);
    assertThat(store.read("layout").rows().get(0).value().text()).isEqualTo(doc);
  }

  // ---------------------------------------------------------------- invalid UTF-8

  @Test
  void invalidUtf8InTheBodyIs400NamingTheFieldAndIsNeverReplaced() throws Exception {
    long before = store.revision();
    String head = "{\"scope\":{\"merchant\":\"m";
    String tail = "\"},\"value\":\"x\",\"reason\":\"r\"}";
    assertSetRefused(bytes(head, 0xff, tail), "field 'scope.merchant' is not valid UTF-8");
    // An overlong NUL and a surrogate half in UTF-8 are malformed too.
    assertSetRefused(bytes(head, 0xc0, 0x80, tail), "field 'scope.merchant' is not valid UTF-8");
    assertSetRefused(
        bytes("{\"scope\":{},\"value\":\"x\",\"reason\":\"", 0xed, 0xa0, 0x80, "\"}"),
        "field 'reason' is not valid UTF-8");
    // In a field name, after a backslash, and between tokens.
    assertSetRefused(
        bytes("{\"sc", 0xfe, "ope\":{},\"value\":\"x\",\"reason\":\"r\"}"),
        "a field name is not valid UTF-8");
    assertSetRefused(
        bytes("{\"scope\":{},\"value\":\"x\\", 0xff, "\",\"reason\":\"r\"}"),
        "request body is not valid UTF-8: a malformed byte sequence at byte 23");
    assertSetRefused(
        bytes("{\"scope\":{}", 0xff, ",\"value\":\"x\",\"reason\":\"r\"}"),
        "request body is not valid UTF-8");
    // An escaped lone surrogate is no character either.
    assertSetRefused(
        "{\"scope\":{},\"value\":\"x\\ud800\",\"reason\":\"r\"}",
        "field 'value' is not valid UTF-8");
    assertThat(store.revision()).isEqualTo(before);

    // Well-formed UTF-8 beyond ASCII is kept as sent.
    assertStatus(
        http.post(
            SET,
            "{\"scope\":{\"merchant\":\"m\u00fcller\"},\"value\":\"\ud83c\udf89\",\"reason\":\"r\"}"
                .getBytes(StandardCharsets.UTF_8),
            alice()),
        200);
    assertThat(store.read("gateway").rows().get(0).scope())
        .isEqualTo(Scope.of(H, null, "m\u00fcller", null));
  }

  @Test
  void invalidUtf8AndControlCharactersInTheQueryStringAre400NamingTheParameter() throws Exception {
    assertBadRequest(
        server.get("/admin/eval?feature=gateway&merchant=m%ff"),
        "query parameter 'merchant' is not valid URL-encoded UTF-8");
    assertBadRequest(
        server.get("/admin/eval?feature=gateway&merchant=%c0%80"),
        "query parameter 'merchant' is not valid URL-encoded UTF-8");
    assertBadRequest(
        server.raw("GET /admin/eval?feature=gateway&merchant=m%zz"),
        "query parameter 'merchant' is not valid URL-encoded UTF-8");
    assertBadRequest(
        server.get("/admin/history?limit=%ff"),
        "query parameter 'limit' is not valid URL-encoded UTF-8");
    assertBadRequest(server.get("/admin/history?%ff=1"), "query parameter name '%ff' is not valid");
    assertBadRequest(
        server.get("/admin/eval?feature=gateway&country=D%00E"),
        "query parameter 'country' has a control character (U+0000)");
    assertBadRequest(
        server.get("/admin/eval?feature=gateway&country=D%1B%5B2J"),
        "query parameter 'country' has a control character (U+001B)");
    // Well-formed UTF-8 is read as sent.
    HttpResponse<String> ok = server.get("/admin/eval?feature=gateway&merchant=m%C3%BCller");
    assertStatus(ok, 200);
    assertThat(json(ok).get("context").get("merchant").asText()).isEqualTo("m\u00fcller");
  }

  /**
   * Jetty refuses these paths itself (400, its own page); another container that passed them on
   * would meet the feature key's allow-list of characters, which U+FFFD and NUL are not in.
   */
  @Test
  void aFeatureKeyInThePathThatIsNotUtf8OrHasAControlCharacterIs400() throws Exception {
    long before = store.revision();
    for (String key : new String[] {"gate%ffway", "gate%00way", "gate%c0%80way"}) {
      assertThat(server.raw("GET /admin/features/" + key + "/rows").status()).isEqualTo(400);
      byte[] body = "{\"reason\":\"r\"}".getBytes(StandardCharsets.UTF_8);
      String[] headers = {
        "Content-Type: application/json", "X-Toggles-Admin: 1", TestServer.USER_HEADER + ": alice"
      };
      assertThat(server.raw("POST /admin/features/" + key + "/kill", body, headers).status())
          .isEqualTo(400);
    }
    assertBadRequest(
        server.get("/admin/features/gate%EF%BF%BDway/rows"),
        "feature key 'gate\ufffdway' is malformed");
    assertThat(store.revision()).isEqualTo(before);
  }

  @Test
  void aWriteTakesNoQueryParameterSoADryRunAskedOfThisVersionWritesNothing() throws Exception {
    long before = store.revision();
    assertBadRequest(
        http.post("/admin/features/gateway/kill?dryRun=true", "{\"reason\":\"r\"}", alice()),
        "unknown query parameter 'dryRun'; this path takes none");
    assertThat(store.revision()).isEqualTo(before);
    assertThat(store.read("gateway").killed()).isFalse();
  }

  // ---------------------------------------------------------------- exact numbers

  @Test
  void aDecimalSentAsANumberKeepsEveryDigit() throws Exception {
    assertThat(setNumber("fee-rate", "0.1000000000000000000001"))
        .isEqualTo("0.1000000000000000000001");
    assertThat(store.read("fee-rate").rows().get(0).value())
        .isEqualTo(SettingValue.of(new BigDecimal("0.1000000000000000000001")));
    // 1e-400 is far below the smallest double: kept exactly, not rounded to 0.
    assertThat(setNumber("fee-rate", "1e-400")).isEqualTo("0." + "0".repeat(399) + "1");
    assertThat(setNumber("fee-rate", "-12345678901234567890.5"))
        .isEqualTo("-12345678901234567890.5");
    assertThat(setNumber("fee-rate", "2.50")).isEqualTo("2.5");
    // What a decimal cannot hold is refused, never rounded.
    long before = store.revision();
    assertBadRequest(setNumberResponse("fee-rate", "1e-1001"), "exponent beyond 1000");
    assertBadRequest(
        setNumberResponse("fee-rate", "1" + "0".repeat(100) + ".5"), "more than 100 digits");
    assertBadRequest(
        setNumberResponse("fee-rate", "1e9999999999"),
        "field 'value' is a number out of every range");
    assertThat(store.revision()).isEqualTo(before);
  }

  @Test
  void aLongOutsideItsRangeOrWithAFractionIsRefused() throws Exception {
    assertThat(setNumber("max-items", "9223372036854775807")).isEqualTo("9223372036854775807");
    assertThat(setNumber("max-items", "-9223372036854775808")).isEqualTo("-9223372036854775808");
    long before = store.revision();
    assertBadRequest(
        setNumberResponse("max-items", "9223372036854775808"), "outside the range of a long");
    assertBadRequest(
        setNumberResponse("max-items", "-9223372036854775809"), "outside the range of a long");
    assertBadRequest(setNumberResponse("max-items", "1.5"), "not a long integer");
    assertBadRequest(setNumberResponse("max-items", "1e3"), "not a long integer");
    assertBadRequest(
        setNumberResponse("max-items", "\"9223372036854775808\""), "not a long integer");
    assertThat(store.revision()).isEqualTo(before);
  }

  @Test
  void revisionsAndVersionsAreExactIntegers() throws Exception {
    long before = store.revision();
    for (String n : new String[] {"9223372036854775808", "1.0", "1e0", "-1"}) {
      assertBadRequest(
          http.post("/admin/revert", "{\"revision\":" + n + ",\"reason\":\"r\"}", alice()),
          "'revision' must be a positive integer");
      assertSetRefused(
          "{\"scope\":{},\"value\":\"x\",\"expectVersion\":" + n + ",\"reason\":\"r\"}",
          "'expectVersion' must be");
    }
    assertThat(store.revision()).isEqualTo(before);
  }

  // ---------------------------------------------------------------- shape

  @Test
  void moreAfterTheObjectOrNestingTooDeepIs400() throws Exception {
    long before = store.revision();
    assertBadRequest(
        http.post("/admin/features/gateway/kill", "{\"reason\":\"r\"} {\"reason\":\"s\"}", alice()),
        "more after its JSON object");
    assertSetRefused(
        "{\"scope\":{},\"reason\":\"r\",\"value\":" + "[".repeat(40) + "]".repeat(40) + "}",
        "nested deeper than 32 levels");
    assertThat(store.revision()).isEqualTo(before);
  }

  // ---------------------------------------------------------------- helpers

  /** Asserts that a set of {@code gateway} with {@code body} is answered 400 naming the part. */
  private void assertSetRefused(String body, String messagePart) throws Exception {
    assertBadRequest(http.post(SET, body, alice()), messagePart);
  }

  private void assertSetRefused(byte[] body, String messagePart) throws Exception {
    assertBadRequest(http.post(SET, body, alice()), messagePart);
  }

  /** Sets {@code feature}'s global row to the JSON number {@code number}; its stored text. */
  private String setNumber(String feature, String number) throws Exception {
    HttpResponse<String> r = setNumberResponse(feature, number);
    assertStatus(r, 200);
    String text = json(r).get("change").get("newValue").asText();
    assertThat(store.read(feature).rows().get(0).value().text()).isEqualTo(text);
    assertThat(store.history(Optional.of(feature), 1).get(0).newValue().orElseThrow().text())
        .isEqualTo(text);
    return text;
  }

  private HttpResponse<String> setNumberResponse(String feature, String number) throws Exception {
    return http.post(
        "/admin/features/" + feature + "/set",
        "{\"scope\":{},\"value\":" + number + ",\"reason\":\"exact\"}",
        alice());
  }

  /** Text and raw bytes, in order: Strings as UTF-8, Integers as one byte each. */
  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      if (part instanceof String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
      } else {
        out.write((Integer) part);
      }
    }
    return out.toByteArray();
  }
}
