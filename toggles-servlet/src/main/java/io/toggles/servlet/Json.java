package io.toggles.servlet;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** JSON output of the servlet module: one configured mapper, safe headers. */
final class Json {
  static final ObjectMapper MAPPER =
      JsonMapper.builder(new JsonFactoryBuilder().characterEscapes(new HtmlSafeEscapes()).build())
          .build();

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * Writes {@code body} as the response with {@code application/json; charset=utf-8}, {@code
   * nosniff} and {@code no-store}; the caller has set the status.
   */
  static void write(HttpServletResponse response, ObjectNode body) throws IOException {
    byte[] bytes = MAPPER.writeValueAsBytes(body);
    response.setContentType("application/json; charset=utf-8");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  /**
   * Escapes {@code < > & '} and the JavaScript line separators as {@code \\uXXXX} too, so that
   * echoed input stays inert even if a client pastes the JSON into HTML or a script.
   */
  private static final class HtmlSafeEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private static final SerializedString LS = new SerializedString("\\u2028");
    private static final SerializedString PS = new SerializedString("\\u2029");
    private final int[] table;

    HtmlSafeEscapes() {
      table = standardAsciiEscapesForJSON();
      table['<'] = ESCAPE_STANDARD;
      table['>'] = ESCAPE_STANDARD;
      table['&'] = ESCAPE_STANDARD;
      table['\''] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return table;
    }

    @Override
    public @Nullable SerializableString getEscapeSequence(int ch) {
      if (ch == 0x2028) {
        return LS;
      }
      if (ch == 0x2029) {
        return PS;
      }
      return null;
    }
  }
}
