package io.toggles.examples.checkout;

import io.toggles.Audit;
import io.toggles.Change;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.Hierarchy;
import io.toggles.Scope;
import io.toggles.SettingType;
import io.toggles.SettingValue;
import io.toggles.ToggleAdmin;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The two features of the checkout service and how they were rolled out, written through {@link
 * ToggleAdmin} on first start, so that the change log tells the story:
 *
 * <ul>
 *   <li>{@code new-checkout} (boolean, off by default): the one-page checkout, piloted on gift
 *       cards, widened to ebooks, then to a whole merchant and a whole country, but kept off for
 *       furniture.
 *   <li>{@code payment-gateway} (string, default {@code worldpay}): stripe tried on a few products,
 *       then a merchant, adyen for the Netherlands, and finally stripe as the global row; furniture
 *       stays on worldpay.
 * </ul>
 *
 * <p>The resulting rows, most specific first (a row naming a product beats one naming only a
 * merchant, which beats one naming only a country, which beats the global row):
 *
 * <pre>
 * new-checkout     product=gift-cards true | product=ebooks true | product=furniture false
 *                  merchant=acme-outdoor true | country=NL true | (default false)
 * payment-gateway  product=gift-cards stripe | product=ebooks stripe | product=furniture worldpay
 *                  merchant=acme-outdoor stripe | country=NL adyen | global stripe
 *                  (default worldpay)
 * </pre>
 *
 * <p>Public so that the Spring Boot example ({@code examples/spring-checkout}) tells the same
 * story.
 */
public final class RolloutStory {
  /** The boolean feature guarding the one-page checkout. */
  public static final String NEW_CHECKOUT = "new-checkout";

  /** The string setting naming the payment gateway. */
  public static final String PAYMENT_GATEWAY = "payment-gateway";

  /** What the service falls back to if the setting cannot be read at all. */
  public static final String FALLBACK_GATEWAY = "worldpay";

  private static final String CHECKOUT_TEAM = "checkout-team";
  private static final String PAYMENTS_TEAM = "payments-team";

  private RolloutStory() {}

  /**
   * Writes the story of each feature that is not declared yet; a feature already declared is left
   * exactly as it is (so flips made since survive a restart).
   *
   * @return the changes written, none if both features were declared
   */
  public static List<Change> writeIfMissing(ToggleAdmin admin) {
    Set<String> declared =
        admin.features().stream().map(FeatureDefinition::key).collect(Collectors.toSet());
    List<Change> written = new ArrayList<>();
    if (!declared.contains(NEW_CHECKOUT)) {
      written.addAll(newCheckout(admin));
    }
    if (!declared.contains(PAYMENT_GATEWAY)) {
      written.addAll(paymentGateway(admin));
    }
    return written;
  }

  private static List<Change> newCheckout(ToggleAdmin admin) {
    Hierarchy h = admin.hierarchy();
    List<Change> out = new ArrayList<>();
    out.add(
        admin.define(
            FeatureDefinition.builder(NEW_CHECKOUT, SettingType.BOOLEAN)
                .defaultValue(SettingValue.of(false))
                .description("One-page checkout replacing the five-step flow")
                .owner(CHECKOUT_TEAM)
                .build(),
            Audit.of(CHECKOUT_TEAM, "CHK-101 declare the one-page checkout, off everywhere")));
    out.add(
        set(
            admin,
            NEW_CHECKOUT,
            scope(h, "gift-cards", null, null),
            true,
            "CHK-102 pilot on gift cards: small baskets, nothing to ship"));
    out.add(
        set(
            admin,
            NEW_CHECKOUT,
            scope(h, "ebooks", null, null),
            true,
            "CHK-103 a week of gift cards without errors: add ebooks"));
    out.add(
        set(
            admin,
            NEW_CHECKOUT,
            scope(h, null, "acme-outdoor", null),
            true,
            "CHK-104 acme-outdoor asked for it on their whole shop"));
    out.add(
        set(
            admin,
            NEW_CHECKOUT,
            scope(h, null, null, "NL"),
            true,
            "CHK-105 widen to every shopper in the Netherlands"));
    out.add(
        set(
            admin,
            NEW_CHECKOUT,
            scope(h, "furniture", null, null),
            false,
            "CHK-106 furniture stays on the old flow: delivery slots are not in the new one yet"));
    return out;
  }

  private static List<Change> paymentGateway(ToggleAdmin admin) {
    Hierarchy h = admin.hierarchy();
    List<Change> out = new ArrayList<>();
    out.add(
        admin.define(
            FeatureDefinition.builder(PAYMENT_GATEWAY, SettingType.STRING)
                .defaultValue(SettingValue.of(FALLBACK_GATEWAY))
                .description("Payment gateway that captures the payment: adyen, stripe, worldpay")
                .owner(PAYMENTS_TEAM)
                .build(),
            Audit.of(PAYMENTS_TEAM, "PAY-200 declare the gateway setting; worldpay as today")));
    out.add(
        set(
            admin,
            PAYMENT_GATEWAY,
            scope(h, "gift-cards", null, null),
            "stripe",
            "PAY-201 try stripe on gift cards first"));
    out.add(
        set(
            admin,
            PAYMENT_GATEWAY,
            scope(h, "ebooks", null, null),
            "stripe",
            "PAY-202 stripe on ebooks too: auth rate as good as worldpay's"));
    out.add(
        set(
            admin,
            PAYMENT_GATEWAY,
            scope(h, null, "acme-outdoor", null),
            "stripe",
            "PAY-203 first whole merchant on stripe: acme-outdoor"));
    out.add(
        set(
            admin,
            PAYMENT_GATEWAY,
            scope(h, null, null, "NL"),
            "adyen",
            "PAY-204 Dutch shoppers pay by iDEAL, which we take through adyen"));
    out.add(
        set(
            admin,
            PAYMENT_GATEWAY,
            scope(h, "furniture", null, null),
            FALLBACK_GATEWAY,
            "PAY-205 furniture keeps worldpay: instalment plans are only there"));
    out.add(
        set(
            admin,
            PAYMENT_GATEWAY,
            h.global(),
            "stripe",
            "PAY-206 stripe becomes the default for everything else"));
    return out;
  }

  private static Scope scope(
      Hierarchy h, @Nullable String product, @Nullable String merchant, @Nullable String country) {
    return h.scope()
        .with("product", product)
        .with("merchant", merchant)
        .with("country", country)
        .build();
  }

  private static Change set(
      ToggleAdmin admin, String feature, Scope scope, boolean on, String reason) {
    return admin.set(
        feature, scope, SettingValue.of(on), Expect.absent(), Audit.of(CHECKOUT_TEAM, reason));
  }

  private static Change set(
      ToggleAdmin admin, String feature, Scope scope, String gateway, String reason) {
    return admin.set(
        feature, scope, SettingValue.of(gateway), Expect.absent(), Audit.of(PAYMENTS_TEAM, reason));
  }
}
