package io.toggles.examples.checkout;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.toggles.Health;
import io.toggles.Toggles;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /health}: how current the service's toggles are, from {@link Toggles#health()}. Status
 * 200 when READY, 503 when STALE or ERROR, so a load balancer can act on it:
 *
 * <pre>{@code
 * {"status":"READY","revision":13,"stalenessMs":112,"lastError":null,"fromSnapshot":false}
 * }</pre>
 */
final class HealthServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient Toggles toggles;
  private final transient ObjectMapper json;

  HealthServlet(Toggles toggles, ObjectMapper json) {
    this.toggles = toggles;
    this.json = json;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Health health = toggles.health();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("status", health.status().name());
    answer.put("revision", health.revision());
    answer.put("stalenessMs", health.staleness().toMillis());
    answer.put("lastError", health.lastError().orElse(null));
    answer.put("fromSnapshot", health.fromSnapshot());
    int status =
        health.status() == Health.Status.READY
            ? HttpServletResponse.SC_OK
            : HttpServletResponse.SC_SERVICE_UNAVAILABLE;
    Json.write(response, status, json, answer);
  }
}
