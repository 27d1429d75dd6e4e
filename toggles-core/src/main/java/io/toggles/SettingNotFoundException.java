package io.toggles;

/** A strict lookup found no row for the context, no kill switch and no declared default. */
public final class SettingNotFoundException extends TogglesException {
  private static final long serialVersionUID = 1L;

  private final String feature;

  /** For {@code feature} and the context it was asked for. */
  public SettingNotFoundException(String feature, String context) {
    super(
        "no setting of '"
            + feature
            + "' matches "
            + context
            + " and the feature declares no default; add a global row or a default");
    this.feature = feature;
  }

  /** The feature asked for. */
  public String feature() {
    return feature;
  }
}
