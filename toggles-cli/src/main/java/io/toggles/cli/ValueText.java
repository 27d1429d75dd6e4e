package io.toggles.cli;

import io.toggles.FeatureDefinition;
import io.toggles.SettingValue;
import io.toggles.TogglesException;

/** A value typed on the command line, parsed as its feature's type. */
final class ValueText {
  private static final int MAX_ECHO = 80;

  private ValueText() {}

  /**
   * Parses a value as the feature's type.
   *
   * @throws TogglesException naming the value, the feature and its type if it does not fit
   */
  static SettingValue parse(FeatureDefinition definition, String text) {
    try {
      return definition.type().parse(text);
    } catch (IllegalArgumentException e) {
      throw new TogglesException(
          "value "
              + quote(text)
              + " does not fit feature '"
              + definition.key()
              + "' of type "
              + definition.type()
              + ": "
              + e.getMessage());
    }
  }

  /** Quotes user input for a message, cut short and with control characters escaped. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder("'");
    for (int i = 0; i < text.length() && i < MAX_ECHO; i++) {
      char c = text.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    out.append('\'');
    if (text.length() > MAX_ECHO) {
      out.append("... (").append(text.length()).append(" chars)");
    }
    return out.toString();
  }
}
