package io.toggles;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * A handle on one feature of a {@link Toggles}, for the hottest paths: a check through it finds the
 * feature by a number fixed when the handle was taken, instead of by name. Get one with {@link
 * Toggles#feature(String)} and keep it in a field; every check reads the node's current generation,
 * so a handle follows every change, and checks through several handles see whole writes as checks
 * by name do. Checks behave exactly as the lenient methods of {@link Toggles} of the same names:
 * they never throw, take no lock and allocate nothing once the feature is loaded.
 *
 * <p>Thread-safe.
 */
public final class Feature {
  private final Lookup lookup;
  private final String key;
  private final int id;

  Feature(Lookup lookup, String key, int id) {
    this.lookup = lookup;
    this.key = key;
    this.id = id;
  }

  /** The feature key. */
  public String key() {
    return key;
  }

  /** As {@link Toggles#isEnabled(String, Context)}. */
  public boolean isEnabled(Context context) {
    FeatureIndex idx = lookup.bySlot(id);
    return lookup.bool(key, idx, lookup.resolve(key, idx, context), false);
  }

  /** As {@link Toggles#isEnabled(String, String, String, String)}. */
  public boolean isEnabled(
      @Nullable String value0, @Nullable String value1, @Nullable String value2) {
    FeatureIndex idx = lookup.bySlot(id);
    return lookup.bool(key, idx, lookup.resolve(key, idx, 3, value0, value1, value2), false);
  }

  /** As {@link Toggles#getBoolean(String, Context, boolean)}. */
  public boolean getBoolean(Context context, boolean defaultValue) {
    FeatureIndex idx = lookup.bySlot(id);
    return lookup.bool(key, idx, lookup.resolve(key, idx, context), defaultValue);
  }

  /** As {@link Toggles#getString(String, Context, String)}. */
  public String getString(Context context, String defaultValue) {
    FeatureIndex idx = lookup.bySlot(id);
    return lookup.string(key, idx, lookup.resolve(key, idx, context), defaultValue);
  }

  /** As {@link Toggles#getLong(String, Context, long)}. */
  public long getLong(Context context, long defaultValue) {
    FeatureIndex idx = lookup.bySlot(id);
    return lookup.longValue(key, idx, lookup.resolve(key, idx, context), defaultValue);
  }

  /** As {@link Toggles#getDecimal(String, Context, BigDecimal)}. */
  public BigDecimal getDecimal(Context context, BigDecimal defaultValue) {
    FeatureIndex idx = lookup.bySlot(id);
    return lookup.decimal(key, idx, lookup.resolve(key, idx, context), defaultValue);
  }

  /** As {@link Toggles#getJson(String, Context, String)}. */
  public String getJson(Context context, String defaultValue) {
    FeatureIndex idx = lookup.bySlot(id);
    return lookup.json(key, idx, lookup.resolve(key, idx, context), defaultValue);
  }

  /**
   * As {@link Toggles#explain(String, Context)}.
   *
   * @throws UnknownFeatureException if the store does not declare the feature
   * @throws StoreException if the feature is not loaded and the store cannot be read in time
   */
  public Explanation explain(Context context) {
    return lookup.explain(key, context);
  }

  @Override
  public String toString() {
    return "Feature[" + key + "]";
  }
}
