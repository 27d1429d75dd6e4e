package io.toggles.spi;

import io.toggles.FeatureDefinition;
import java.util.Objects;
import java.util.Optional;

/**
 * A feature's declaration as a store holds it, read inside a {@link WriteTransaction}: the
 * declaration if it can be read, else what is wrong with it (a row edited by hand), and the kill
 * switch, which holds either way.
 *
 * @param feature the feature key
 * @param definition the declaration; empty if it is unreadable
 * @param unreadable why it cannot be read, as a message naming the feature and where it is stored
 *     (for example {@code "the declaration of feature 'fee' in toggles_features is unreadable (not
 *     a long integer: 'five')"}); empty if it can be read
 * @param killed whether the kill switch is on
 */
public record StoredDeclaration(
    String feature,
    Optional<FeatureDefinition> definition,
    Optional<String> unreadable,
    boolean killed) {

  /**
   * Checks that exactly one of the declaration and the reason is present.
   *
   * @throws IllegalArgumentException if both or neither is, or the declaration is of another key
   */
  public StoredDeclaration {
    Objects.requireNonNull(feature, "feature");
    if (definition.isPresent() == unreadable.isPresent()) {
      throw new IllegalArgumentException(
          "a stored declaration of '" + feature + "' is either readable or has a reason not to be");
    }
    if (definition.isPresent() && !definition.get().key().equals(feature)) {
      throw new IllegalArgumentException(
          "declaration of '" + definition.get().key() + "' stored for '" + feature + "'");
    }
  }

  /** A readable declaration. */
  public static StoredDeclaration of(FeatureDefinition definition, boolean killed) {
    return new StoredDeclaration(
        definition.key(), Optional.of(definition), Optional.empty(), killed);
  }

  /** An unreadable declaration, with the reason. */
  public static StoredDeclaration unreadable(String feature, String reason, boolean killed) {
    return new StoredDeclaration(feature, Optional.empty(), Optional.of(reason), killed);
  }
}
