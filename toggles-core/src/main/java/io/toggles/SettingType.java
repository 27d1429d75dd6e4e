package io.toggles;

/** The type of a feature's values. Every row and the default of a feature have its type. */
public enum SettingType {
  /** On or off; text {@code true}/{@code false} (also accepts {@code on}/{@code off}). */
  BOOLEAN,
  /** Free text, such as a payment gateway's name. */
  STRING,
  /** A signed 64-bit integer. */
  LONG,
  /** An exact decimal number, such as a fee rate. */
  DECIMAL,
  /** A JSON document, validated on write, for structured settings. */
  JSON;

  /**
   * Parses text into a value of this type.
   *
   * @throws IllegalArgumentException naming the type and what is wrong with the text
   */
  public SettingValue parse(String text) {
    return SettingValue.parse(this, text);
  }

  /**
   * The type with this name, case-insensitively.
   *
   * @throws IllegalArgumentException listing the valid names
   */
  public static SettingType named(String name) {
    for (SettingType t : values()) {
      if (t.name().equalsIgnoreCase(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown setting type "
            + Texts.quote(name)
            + "; expected one of boolean, string, long, decimal, json");
  }
}
