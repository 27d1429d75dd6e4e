package io.toggles.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.toggles.Change;
import io.toggles.FeatureDefinition;
import io.toggles.Setting;
import io.toggles.SettingValue;
import io.toggles.internal.DisplayText;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CLI's JSON output: plain maps and lists written by Jackson. Values are their canonical text
 * (as {@code set} takes them) next to the feature's type, so that nothing is lost in conversion.
 */
final class JsonOutput {
  private JsonOutput() {}

  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  static {
    MAPPER.getFactory().setCharacterEscapes(new TerminalSafe());
  }

  /**
   * Escapes, beside what JSON requires, every character {@link DisplayText} shows escaped (DEL, C1
   * controls, bidirectional formatting characters, line separators): the document means the same
   * and prints safely on a terminal.
   */
  private static final class TerminalSafe extends CharacterEscapes {
    private final int[] ascii = standardAsciiEscapesForJSON();

    TerminalSafe() {
      ascii[0x7f] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch <= Character.MAX_VALUE && DisplayText.isUnsafe((char) ch)
          ? new SerializedString(String.format("\\u%04X", ch))
          : null;
    }
  }

  static void print(PrintWriter out, Object value) {
    out.println(text(value));
    out.flush();
  }

  /** The document as JSON text. */
  static String text(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Object value(Optional<SettingValue> v) {
    return v.map(SettingValue::text).orElse(null);
  }

  static Map<String, Object> row(Setting s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scope", s.scope().asMap());
    m.put("value", s.value().text());
    m.put("version", s.version());
    return m;
  }

  static Map<String, Object> definition(FeatureDefinition d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", d.key());
    m.put("type", d.type().name());
    m.put("default", value(d.defaultValue()));
    m.put("description", d.description());
    m.put("owner", d.owner());
    return m;
  }

  static Map<String, Object> change(Change c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("revision", c.revision());
    m.put("at", c.at().toString());
    m.put("feature", c.feature());
    m.put("kind", c.kind().name());
    m.put("scope", c.scope().map(s -> (Object) s.asMap()).orElse(null));
    m.put("oldValue", value(c.oldValue()));
    m.put("newValue", value(c.newValue()));
    m.put("newVersion", c.newVersion().isPresent() ? c.newVersion().getAsLong() : null);
    m.put("actor", c.actor());
    m.put("reason", c.reason());
    m.put("revertOf", c.revertOf().isPresent() ? c.revertOf().getAsLong() : null);
    return m;
  }
}
