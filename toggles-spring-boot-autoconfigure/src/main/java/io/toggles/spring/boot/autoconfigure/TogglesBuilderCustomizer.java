package io.toggles.spring.boot.autoconfigure;

import io.toggles.Toggles;

/**
 * Adjusts the {@link Toggles.Builder} of the auto-configured {@link Toggles} after the properties
 * are applied: a clock, an executor, anything the properties do not cover. Beans of this type are
 * applied in their {@link org.springframework.core.annotation.Order order}.
 */
@FunctionalInterface
public interface TogglesBuilderCustomizer {

  /** Adjusts the builder. */
  void customize(Toggles.Builder builder);
}
