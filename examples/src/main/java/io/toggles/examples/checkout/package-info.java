/**
 * A small checkout service guarded by toggles: run {@link io.toggles.examples.checkout.CheckoutApp}
 * and ask {@code GET /checkout?product=&merchant=&country=} which checkout flow and which payment
 * gateway serve a request.
 *
 * <p>The service keeps its toggles in an H2 file database that the {@code toggles} command line can
 * open at the same time, so a flip made with {@code bin/toggles} shows up in the service's answers
 * within its sync interval. On first start it writes the rollout story of two features (see {@code
 * RolloutStory}), so {@code bin/toggles history} has something to tell.
 */
@NullMarked
package io.toggles.examples.checkout;

import org.jspecify.annotations.NullMarked;
