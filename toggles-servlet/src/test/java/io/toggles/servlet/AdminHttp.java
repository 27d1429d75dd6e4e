package io.toggles.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.toggles.ToggleAdmin;
import io.toggles.Toggles;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** Requests to the admin endpoint over real HTTP, and the assertions on its answers. */
final class AdminHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  private final TestServer server;

  AdminHttp(TestServer server) {
    this.server = server;
  }

  HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    return server.send(
        HttpRequest.newBuilder(server.uri(path))
            .headers(headers)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
    return server.send(
        HttpRequest.newBuilder(server.uri(path))
            .headers(headers)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  /** An endpoint over {@code admin} that permits everything, writes enabled. */
  static TogglesAdminServlet.Builder endpoint(Toggles toggles, ToggleAdmin admin) {
    return TogglesAdminServlet.builder(toggles, admin)
        .authorizer((request, action) -> true)
        .allowWrites(true);
  }

  /** The headers a write needs, without a user. */
  static String[] csrfOk() {
    return new String[] {"Content-Type", "application/json", TogglesAdminServlet.CSRF_HEADER, "1"};
  }

  /** The headers of a write by {@code user}. */
  static String[] as(String user) {
    return with(csrfOk(), TestServer.USER_HEADER, user);
  }

  static String[] alice() {
    return as("alice");
  }

  static String[] with(String[] headers, String... more) {
    String[] out = new String[headers.length + more.length];
    System.arraycopy(headers, 0, out, 0, headers.length);
    System.arraycopy(more, 0, out, headers.length, more.length);
    return out;
  }

  static JsonNode json(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body());
  }

  static Map<String, String> map(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  static void assertStatus(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
  }

  /** Asserts the status, the error code and a part of the message. */
  static void assertError(HttpResponse<String> r, int status, String code, String messagePart)
      throws IOException {
    assertError(r.statusCode(), r.body(), status, code, messagePart);
  }

  static void assertError(TestServer.RawResponse r, int status, String code, String messagePart)
      throws IOException {
    assertError(r.status(), r.body(), status, code, messagePart);
  }

  private static void assertError(
      int actualStatus, String body, int status, String code, String messagePart)
      throws IOException {
    assertThat(actualStatus).as(body).isEqualTo(status);
    JsonNode json = JSON.readTree(body);
    assertThat(json.get("error").asText()).as(body).isEqualTo(code);
    assertThat(json.get("message").asText()).contains(messagePart);
  }

  static void assertBadRequest(TestServer.RawResponse r, String messagePart) throws IOException {
    assertError(r, 400, "bad_request", messagePart);
  }

  static void assertBadRequest(HttpResponse<String> r, String messagePart) throws IOException {
    assertError(r, 400, "bad_request", messagePart);
  }

  static void assertForbidden(HttpResponse<String> r, String messagePart) throws IOException {
    assertError(r, 403, "forbidden", messagePart);
  }
}
