package io.toggles.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DisplayTextTest {

  @Test
  void terminalControlAndBidiCharactersAreEscaped() {
    String hostile = "a\u001b[2Jb\u001b]0;title\u0007c\u202ed\u009be\u2028f\r\n\tg\u007fh\u2066i";
    String shown = DisplayText.escape(hostile);
    assertThat(shown)
        .isEqualTo(
            "a\\u001b[2Jb\\u001b]0;title\\u0007c\\u202ed\\u009be\\u2028f\\u000d\\u000a\\u0009g"
                + "\\u007fh\\u2066i");
    assertThat(shown.chars().filter(c -> DisplayText.isUnsafe((char) c))).isEmpty();
  }

  @Test
  void everyBidiFormattingCharacterIsUnsafe() {
    for (char c :
        "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069".toCharArray()) {
      assertThat(DisplayText.isUnsafe(c)).as("U+%04X", (int) c).isTrue();
    }
  }

  @Test
  void lettersOfAnyScriptStayAsTheyAre() {
    String text = "Zürich 東京 \uD83D\uDE80 naïve \\u001b";
    assertThat(DisplayText.escape(text)).isSameAs(text);
  }

  @Test
  void escapingTwiceChangesNothing() {
    String once = DisplayText.escape("x\u001by\u202ez");
    assertThat(DisplayText.escape(once)).isEqualTo(once);
  }

  @Test
  void longTextIsCutWithItsLength() {
    String big = "v".repeat(65_536);
    assertThat(DisplayText.escape(big, 10)).isEqualTo("vvvvvvvvvv... (65536 chars)");
    assertThat(DisplayText.escape("short", 10)).isEqualTo("short");
    assertThat(DisplayText.escape("exactly10!", 10)).isEqualTo("exactly10!");
  }

  @Test
  void aCutNeverSplitsAnEscapeOrASurrogatePair() {
    assertThat(DisplayText.escape("abcd\u001bxyz", 8)).isEqualTo("abcd... (8 chars)");
    assertThat(DisplayText.escape("abc\uD83D\uDE80xyz", 4)).isEqualTo("abc... (8 chars)");
    assertThat(DisplayText.escape("abc\uD83D\uDE80xyz", 5))
        .isEqualTo("abc\uD83D\uDE80... (8 chars)");
  }

  @Test
  void aBoundBelowOneIsRefused() {
    assertThatThrownBy(() -> DisplayText.escape("x", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }
}
