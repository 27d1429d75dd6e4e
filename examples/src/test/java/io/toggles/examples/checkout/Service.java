package io.toggles.examples.checkout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Talks to a running {@link CheckoutApp} over real HTTP. */
final class Service {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private final URI base;

  Service(URI base) {
    this.base = base;
  }

  /** A response: its status and its body parsed as JSON. */
  record Reply(int status, JsonNode body) {
    String flow() {
      return body.path("flow").asText();
    }

    String gateway() {
      return body.path("gateway").asText();
    }
  }

  Reply get(String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(10)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.build());
  }

  Reply send(HttpRequest request) throws Exception {
    HttpResponse<String> r =
        HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return new Reply(r.statusCode(), JSON.readTree(r.body()));
  }

  Reply checkout(String product, String merchant, String country) throws Exception {
    return get("/checkout?product=" + product + "&merchant=" + merchant + "&country=" + country);
  }

  URI uri(String path) {
    return base.resolve(path);
  }
}
