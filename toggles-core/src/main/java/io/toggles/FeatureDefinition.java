package io.toggles;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A declared feature: its key, value type, default and who owns it. Tools list declared features,
 * reject values of the wrong type, and warn about rows for undeclared ones.
 *
 * <p>The default answers a check that no row matches. A killed feature answers {@link
 * #killValue()}: {@code false} for a boolean feature, the default otherwise.
 *
 * @param key the feature key, see {@link #requireValidKey(String)}
 * @param type the type of every value of this feature
 * @param defaultValue the value when no row matches, of {@code type}
 * @param description what the feature does, for people
 * @param owner who to call about it (a team or a person)
 */
public record FeatureDefinition(
    String key,
    SettingType type,
    Optional<SettingValue> defaultValue,
    String description,
    String owner) {

  /** The longest feature key. */
  public static final int MAX_KEY_LENGTH = 100;

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  /**
   * Validates the definition.
   *
   * @throws IllegalArgumentException if the key is malformed, the default is of another type, or
   *     the description or owner is over 1,000 characters
   */
  public FeatureDefinition {
    requireValidKey(key);
    if (defaultValue.isPresent() && defaultValue.get().type() != type) {
      throw new IllegalArgumentException(
          "default of feature '"
              + key
              + "' is a "
              + defaultValue.get().type()
              + " but the feature is "
              + type);
    }
    if (description.length() > 1000 || owner.length() > 1000) {
      throw new IllegalArgumentException(
          "description and owner of feature '" + key + "' are limited to 1000 characters");
    }
  }

  /**
   * Checks a feature key: 1 to 100 characters of letters, digits, {@code .}, {@code _} and {@code
   * -}, starting with a letter or digit.
   *
   * @return the key
   * @throws IllegalArgumentException naming the key and the rule it breaks
   */
  public static String requireValidKey(String key) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("feature key is blank");
    }
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "feature key "
              + Texts.quote(key)
              + " is malformed: use 1 to 100 letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit");
    }
    return key;
  }

  /** A builder for a feature of {@code type}. */
  public static Builder builder(String key, SettingType type) {
    return new Builder(key, type);
  }

  /** A boolean feature that is off unless a row turns it on. */
  public static FeatureDefinition bool(String key) {
    return builder(key, SettingType.BOOLEAN).defaultValue(SettingValue.of(false)).build();
  }

  /** What the feature answers while killed: off for booleans, else the default (if any). */
  public Optional<SettingValue> killValue() {
    return type == SettingType.BOOLEAN ? Optional.of(SettingValue.of(false)) : defaultValue;
  }

  /** Builds a {@link FeatureDefinition}. Not thread-safe. */
  public static final class Builder {
    private final String key;
    private final SettingType type;
    private Optional<SettingValue> defaultValue = Optional.empty();
    private String description = "";
    private String owner = "";

    private Builder(String key, SettingType type) {
      this.key = key;
      this.type = type;
    }

    /** The value when no row matches. */
    public Builder defaultValue(SettingValue value) {
      this.defaultValue = Optional.of(value);
      return this;
    }

    /**
     * The value when no row matches, parsed as the feature's type.
     *
     * @throws IllegalArgumentException if the text is not of the type
     */
    public Builder defaultValue(String text) {
      return defaultValue(type.parse(text));
    }

    /** What the feature does. */
    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /** Who owns it. */
    public Builder owner(String owner) {
      this.owner = owner;
      return this;
    }

    /**
     * The definition.
     *
     * @throws IllegalArgumentException as {@link FeatureDefinition#FeatureDefinition}
     */
    public FeatureDefinition build() {
      return new FeatureDefinition(key, type, defaultValue, description, owner);
    }
  }
}
