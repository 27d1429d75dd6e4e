package io.toggles.servlet;

import java.util.Optional;

/**
 * Checks text from a request (body fields, their names, query parameters): no control characters (a
 * NUL is refused by PostgreSQL, the others forge log lines and terminal output) and no unpaired
 * surrogates (invalid UTF-8 in the request arrives as one; see {@link RequestBody}).
 */
final class InputText {
  private InputText() {}

  /**
   * Checks {@code text}; with {@code multiLine}, tab, line feed and carriage return are allowed (a
   * JSON document or a text value may span lines).
   *
   * @param where what the text is, for the message: {@code field 'reason'}
   * @return {@code text}
   * @throws AdminError 400 naming {@code where} and what is wrong
   */
  static String require(String where, String text, boolean multiLine) {
    Optional<String> problem = problem(text, multiLine);
    if (problem.isPresent()) {
      throw AdminError.badRequest(where + " " + problem.get());
    }
    return text;
  }

  /** What is wrong with {@code text}, if anything. */
  static Optional<String> problem(String text, boolean multiLine) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return Optional.of(
            "is not valid UTF-8 (a malformed byte sequence or an unpaired surrogate) at character "
                + (i + 1));
      } else if (Character.isISOControl(c)
          && !(multiLine && (c == '\t' || c == '\n' || c == '\r'))) {
        return Optional.of(
            String.format(
                "has a control character (U+%04X) at character %d; control characters are not"
                    + " allowed",
                (int) c, i + 1));
      }
    }
    return Optional.empty();
  }
}
