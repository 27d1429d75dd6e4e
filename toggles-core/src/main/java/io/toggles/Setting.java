package io.toggles;

/**
 * One setting row: a feature's value for a scope. {@code version} is what optimistic concurrency
 * compares ({@link Expect#version(long)}): the revision of the row's latest write, or above. It
 * grows with every write of the row and never repeats for its scope, even after the row was removed
 * and created again, so an expectation taken before a removal fails after it.
 *
 * @param feature the feature key
 * @param scope where the value applies; wildcards where absent
 * @param value the value
 * @param version the row's version, from 1: the revision of its latest write, or above
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
