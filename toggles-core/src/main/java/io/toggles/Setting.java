package io.toggles;

/**
 * One setting row: a feature's value for a scope. {@code version} counts the row's writes and is
 * what optimistic concurrency compares.
 *
 * @param feature the feature key
 * @param scope where the value applies; wildcards where absent
 * @param value the value
 * @param version the row's version, from 1
 */
public record Setting(String feature, Scope scope, SettingValue value, long version) {

  /**
   * Validates the row.
   *
   * @throws IllegalArgumentException if the key is malformed or the version is below 1
   */
  public Setting {
    FeatureDefinition.requireValidKey(feature);
    if (version < 1) {
      throw new IllegalArgumentException("row version must be at least 1, got " + version);
    }
  }
}
