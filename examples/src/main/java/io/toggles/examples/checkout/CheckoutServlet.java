package io.toggles.examples.checkout;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.toggles.Context;
import io.toggles.Toggles;
import io.toggles.servlet.RequestContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /checkout?product=&merchant=&country=}: which checkout flow and which payment gateway
 * serve this request, as JSON:
 *
 * <pre>{@code
 * {"context":{"product":"gift-cards","merchant":"acme-outdoor","country":"NL"},
 *  "flow":"new","steps":["review-and-pay"],"gateway":"stripe","revision":13}
 * }</pre>
 *
 * <p>The scope comes from {@link RequestContext#current()}, bound by the {@code TogglesFilter} from
 * the query parameters (or {@code X-Toggles-*} headers); this servlet never parses it itself. The
 * checks are the lenient kind: they never throw, so a toggle problem never fails a checkout. {@code
 * revision} is the store revision the service had caught up with when it answered.
 */
final class CheckoutServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** The five-step flow that every shopper had before. */
  static final List<String> OLD_STEPS =
      List.of("basket", "address", "shipping", "payment", "review");

  /** The one-page flow behind {@code new-checkout}. */
  static final List<String> NEW_STEPS = List.of("review-and-pay");

  private final transient Toggles toggles;
  private final transient ObjectMapper json;

  CheckoutServlet(Toggles toggles, ObjectMapper json) {
    this.toggles = toggles;
    this.json = json;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Context context = RequestContext.current(toggles.hierarchy());
    boolean newFlow = toggles.isEnabled(RolloutStory.NEW_CHECKOUT, context);
    String gateway =
        toggles.getString(RolloutStory.PAYMENT_GATEWAY, context, RolloutStory.FALLBACK_GATEWAY);

    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("context", context.asMap());
    answer.put("flow", newFlow ? "new" : "old");
    answer.put("steps", newFlow ? NEW_STEPS : OLD_STEPS);
    answer.put("gateway", gateway);
    answer.put("revision", toggles.revision());
    Json.write(response, HttpServletResponse.SC_OK, json, answer);
  }
}
