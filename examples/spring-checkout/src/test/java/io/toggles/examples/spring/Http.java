package io.toggles.examples.spring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/** A small HTTP client for the tests: real requests to the running application. */
final class Http {
  static final String VIEWER = "viewer:viewer-demo";
  static final String ONCALL = "oncall:oncall-demo";

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  Http(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  HttpResponse<String> get(String path, @Nullable String user, String... headers) {
    HttpRequest.Builder b = request(path, user).GET();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b.build());
  }

  HttpResponse<String> post(String path, @Nullable String user, String json, String... headers) {
    HttpRequest.Builder b =
        request(path, user)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b.build());
  }

  /** The checkout answer for the README's shopper: gift cards, acme-outdoor, the Netherlands. */
  String giftCardFlow() {
    String body = get("/checkout?product=gift-cards&merchant=acme-outdoor&country=NL", null).body();
    if (body.contains("\"flow\":\"new\"")) {
      return "new";
    }
    return body.contains("\"flow\":\"old\"") ? "old" : body;
  }

  private HttpRequest.Builder request(String path, @Nullable String user) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (user != null) {
      b.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
    }
    return b;
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
