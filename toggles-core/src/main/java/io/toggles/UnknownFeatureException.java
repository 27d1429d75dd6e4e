package io.toggles;

/** A write or lookup named a feature that is not declared. */
public final class UnknownFeatureException extends TogglesException {
  private static final long serialVersionUID = 1L;

  /** Names the feature. */
  public UnknownFeatureException(String feature) {
    super("unknown feature " + Texts.quote(feature) + ": declare it first (define)");
  }

  /** Names the feature and the store revision at which a node found it not declared. */
  public UnknownFeatureException(String feature, long revision) {
    super(
        "unknown feature "
            + Texts.quote(feature)
            + " (not declared at revision "
            + revision
            + "): declare it first (define)");
  }
}
