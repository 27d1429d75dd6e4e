package io.toggles.servlet;

import io.toggles.FeatureDefinition;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller of {@link TogglesAdminServlet} asks to do, as shown to the {@link AdminAuthorizer}.
 *
 * @param kind the operation
 * @param feature the feature it concerns, if one: for a revert, the feature of the reverted change
 */
public record AdminAction(Kind kind, Optional<String> feature) {

  /**
   * Validates the feature key.
   *
   * @throws IllegalArgumentException if the feature key is malformed
   */
  public AdminAction {
    Objects.requireNonNull(kind, "kind");
    feature.ifPresent(FeatureDefinition::requireValidKey);
  }

  /** The operations of the admin endpoint. */
  public enum Kind {
    /** {@code GET health}. */
    HEALTH(false),
    /** {@code GET features}. */
    LIST_FEATURES(false),
    /** {@code GET features/{key}}. */
    READ_FEATURE(false),
    /** {@code GET features/{key}/rows}. */
    LIST_ROWS(false),
    /** {@code GET eval}. */
    EVALUATE(false),
    /** {@code GET history}. */
    HISTORY(false),
    /** {@code POST features/{key}/set}. */
    SET(true),
    /** {@code POST features/{key}/unset}. */
    UNSET(true),
    /** {@code POST features/{key}/kill}. */
    KILL(true),
    /** {@code POST features/{key}/unkill}. */
    UNKILL(true),
    /** {@code POST revert}. */
    REVERT(true);

    private final boolean write;

    Kind(boolean write) {
      this.write = write;
    }

    /** Whether this operation changes the store. */
    public boolean isWrite() {
      return write;
    }
  }

  /** Whether this action changes the store. */
  public boolean isWrite() {
    return kind.isWrite();
  }
}
