package io.toggles.examples.spring;

import io.toggles.Context;
import io.toggles.Feature;
import io.toggles.Toggles;
import io.toggles.examples.checkout.RolloutStory;
import io.toggles.servlet.RequestContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /checkout?product=&merchant=&country=}: which checkout flow and payment gateway serve
 * this request, with the same JSON as the Jetty example. The scope is bound by the starter's filter
 * (query parameters or {@code X-Toggles-*} headers); the controller never parses it.
 */
@RestController
class CheckoutController {
  private static final List<String> OLD_STEPS =
      List.of("basket", "address", "shipping", "payment", "review");
  private static final List<String> NEW_STEPS = List.of("review-and-pay");

  private final Toggles toggles;
  private final Feature newCheckout;
  private final Feature gateway;

  CheckoutController(Toggles toggles) {
    this.toggles = toggles;
    this.newCheckout = toggles.feature(RolloutStory.NEW_CHECKOUT);
    this.gateway = toggles.feature(RolloutStory.PAYMENT_GATEWAY);
  }

  @GetMapping("/checkout")
  Map<String, Object> checkout() {
    Context context = RequestContext.current(toggles.hierarchy());
    boolean newFlow = newCheckout.isEnabled(context);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("context", context.asMap());
    answer.put("flow", newFlow ? "new" : "old");
    answer.put("steps", newFlow ? NEW_STEPS : OLD_STEPS);
    answer.put("gateway", gateway.getString(context, RolloutStory.FALLBACK_GATEWAY));
    answer.put("revision", toggles.revision());
    return answer;
  }
}
