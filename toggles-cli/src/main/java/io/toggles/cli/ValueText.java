package io.toggles.cli;

import io.toggles.FeatureDefinition;
import io.toggles.SettingValue;
import io.toggles.TogglesException;
import io.toggles.internal.DisplayText;

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

  /** Quotes user input for a message, cut short and escaped as {@link Output} escapes lines. */
  static String quote(String text) {
    if (text.length() <= MAX_ECHO) {
      return "'" + DisplayText.escape(text) + "'";
    }
    return "'"
        + DisplayText.escape(text.substring(0, MAX_ECHO))
        + "'... ("
        + text.length()
        + " chars)";
  }
}
