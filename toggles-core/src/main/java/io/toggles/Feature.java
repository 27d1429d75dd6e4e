package io.toggles;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * A handle on one feature of a {@link Toggles}, for the hottest paths: a check through it skips the
 * lookup by name. Get one with {@link Toggles#feature(String)} and keep it in a field; it follows
 * every change of the feature. Checks behave exactly as the lenient methods of {@link Toggles} of
 * the same names: they never throw, take no lock and allocate nothing once loaded.
 *
 * <p>Thread-safe.
 */
public final class Feature {
  private static final VarHandle INDEX;

  static {
    try {
      INDEX = MethodHandles.lookup().findVarHandle(Feature.class, "index", FeatureIndex.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Toggles toggles;
  private final String key;
  private volatile @Nullable FeatureIndex index;

  Feature(Toggles toggles, String key) {
    this.toggles = toggles;
    this.key = key;
  }

  /** The feature key. */
  public String key() {
    return key;
  }

  /** As {@link Toggles#isEnabled(String, Context)}. */
  public boolean isEnabled(Context context) {
    return toggles.bool(key, toggles.lookup(key, index, context), false);
  }

  /** As {@link Toggles#isEnabled(String, String, String, String)}. */
  public boolean isEnabled(
      @Nullable String value0, @Nullable String value1, @Nullable String value2) {
    return toggles.bool(key, toggles.raw(key, index, 3, value0, value1, value2), false);
  }

  /** As {@link Toggles#getBoolean(String, Context, boolean)}. */
  public boolean getBoolean(Context context, boolean defaultValue) {
    return toggles.bool(key, toggles.lookup(key, index, context), defaultValue);
  }

  /** As {@link Toggles#getString(String, Context, String)}. */
  public String getString(Context context, String defaultValue) {
    return toggles.string(key, toggles.lookup(key, index, context), defaultValue);
  }

  /** As {@link Toggles#getLong(String, Context, long)}. */
  public long getLong(Context context, long defaultValue) {
    return toggles.longValue(key, toggles.lookup(key, index, context), defaultValue);
  }

  /** As {@link Toggles#getDecimal(String, Context, BigDecimal)}. */
  public BigDecimal getDecimal(Context context, BigDecimal defaultValue) {
    return toggles.decimal(key, toggles.lookup(key, index, context), defaultValue);
  }

  /** As {@link Toggles#getJson(String, Context, String)}. */
  public String getJson(Context context, String defaultValue) {
    return toggles.json(key, toggles.lookup(key, index, context), defaultValue);
  }

  /**
   * As {@link Toggles#explain(String, Context)}.
   *
   * @throws StoreException if the feature is not loaded and the store cannot be read in time
   */
  public Explanation explain(Context context) {
    return toggles.explain(key, context);
  }

  /** Installs {@code next} unless a newer index is installed; returns the one kept. */
  FeatureIndex offer(FeatureIndex next) {
    for (; ; ) {
      FeatureIndex current = index;
      if (current != null && current.revision > next.revision) {
        return current;
      }
      if (INDEX.compareAndSet(this, current, next)) {
        return next;
      }
    }
  }

  @Override
  public String toString() {
    return "Feature[" + key + "]";
  }
}
