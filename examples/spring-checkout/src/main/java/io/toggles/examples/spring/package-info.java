/**
 * The checkout service on Spring Boot: the toggles starter configures the store on the
 * application's DataSource, the toggles, the request filter, health, the {@code toggles} endpoint
 * and meters; this package adds only the checkout controller, the rollout story and the users.
 */
@NullMarked
package io.toggles.examples.spring;

import org.jspecify.annotations.NullMarked;
