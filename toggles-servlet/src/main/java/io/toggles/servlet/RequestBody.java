package io.toggles.servlet;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.jspecify.annotations.Nullable;

/**
 * Reads a write's JSON body, strictly: capped; well-formed UTF-8; each field at most once at every
 * depth (a parser where the last one wins would let {@code {"scope":{..},"scope":{}}} write a
 * global row); no control characters in any string or field name (tab, line feed and carriage
 * return allowed in {@code value}); numbers kept exactly as written (no {@code double} in between);
 * nothing after the object. Also settles an unread body before the answer.
 */
final class RequestBody {
  private static final String READ = RequestBody.class.getName() + ".read";
  private static final int MAX_DEPTH = 32;
  private static final BigInteger BIG_LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger BIG_LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  /**
   * What a malformed UTF-8 sequence becomes before parsing: an unpaired surrogate, which the field
   * checks refuse as not valid UTF-8 and so name the field that held it.
   */
  private static final String MALFORMED = "\\uDFFF";

  /** Control characters pass the parser so that {@link InputText} names the field. */
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS).build();

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private RequestBody() {}

  /**
   * The body of {@code request}, a JSON object of at most {@code maxBytes} bytes.
   *
   * @throws AdminError 413 if larger, 400 naming what is wrong otherwise
   */
  static ObjectNode read(HttpServletRequest request, int maxBytes) {
    long declared = request.getContentLengthLong();
    if (declared > maxBytes) {
      throw tooLarge(maxBytes);
    }
    byte[] bytes;
    try (InputStream in = request.getInputStream()) {
      bytes = in.readNBytes(maxBytes + 1);
    } catch (IOException e) {
      throw AdminError.badRequest("cannot read the request body");
    }
    if (bytes.length > maxBytes) {
      throw tooLarge(maxBytes);
    }
    request.setAttribute(READ, Boolean.TRUE);
    return parse(bytes);
  }

  /**
   * Parses a body.
   *
   * @throws AdminError 400 naming what is wrong
   */
  static ObjectNode parse(byte[] bytes) {
    Utf8.Marked decoded = Utf8.decodeMarking(bytes, MALFORMED);
    @Nullable AdminError notUtf8 =
        decoded.firstMalformed() < 0
            ? null
            : AdminError.badRequest(
                "request body is not valid UTF-8: a malformed byte sequence at byte "
                    + decoded.firstMalformed());
    JsonNode root;
    try (JsonParser p = FACTORY.createParser(decoded.text())) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw notUtf8 != null
            ? notUtf8
            : AdminError.badRequest("request body must be a JSON object");
      }
      root = value(p, first, "", 1);
      if (p.nextToken() != null) {
        throw AdminError.badRequest("request body has more after its JSON object");
      }
    } catch (JacksonException e) {
      if (notUtf8 != null) {
        throw notUtf8;
      }
      throw AdminError.badRequest(
          "request body is not valid JSON"
              + (e.getLocation() == null
                  ? ""
                  : " (line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr()
                      + ")"));
    } catch (IOException e) {
      throw AdminError.badRequest("request body is not valid JSON");
    }
    if (notUtf8 != null) {
      // A malformed sequence that no field check saw as such (after a backslash, say).
      throw notUtf8;
    }
    return (ObjectNode) root;
  }

  private static JsonNode value(JsonParser p, JsonToken token, String path, int depth)
      throws IOException {
    switch (token) {
      case START_OBJECT:
        {
          requireDepth(depth);
          ObjectNode object = NODES.objectNode();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            InputText.require(
                path.isEmpty() ? "a field name" : "a field name in " + field(path), name, false);
            String child = path.isEmpty() ? name : path + "." + name;
            if (object.has(name)) {
              throw AdminError.badRequest(
                  "request body has " + field(child) + " more than once; give each field once");
            }
            object.set(name, value(p, p.nextToken(), child, depth + 1));
          }
          return object;
        }
      case START_ARRAY:
        {
          requireDepth(depth);
          ArrayNode array = NODES.arrayNode();
          JsonToken t;
          while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            array.add(value(p, t, path + "[" + array.size() + "]", depth + 1));
          }
          return array;
        }
      case VALUE_STRING:
        return TextNode.valueOf(InputText.require(field(path), p.getText(), path.equals("value")));
      case VALUE_NUMBER_INT:
        {
          BigInteger n = new BigInteger(p.getText());
          return n.compareTo(BIG_LONG_MIN) >= 0 && n.compareTo(BIG_LONG_MAX) <= 0
              ? LongNode.valueOf(n.longValue())
              : BigIntegerNode.valueOf(n);
        }
      case VALUE_NUMBER_FLOAT:
        try {
          return DecimalNode.valueOf(new BigDecimal(p.getText()));
        } catch (NumberFormatException e) {
          // An exponent beyond what BigDecimal holds (1e9999999999).
          throw AdminError.badRequest(field(path) + " is a number out of every range");
        }
      case VALUE_TRUE:
        return BooleanNode.TRUE;
      case VALUE_FALSE:
        return BooleanNode.FALSE;
      case VALUE_NULL:
        return NullNode.instance;
      default:
        throw AdminError.badRequest("request body is not valid JSON");
    }
  }

  private static String field(String path) {
    return "field " + LogText.quote(path);
  }

  private static void requireDepth(int depth) {
    if (depth > MAX_DEPTH) {
      throw AdminError.badRequest("request body is nested deeper than " + MAX_DEPTH + " levels");
    }
  }

  private static AdminError tooLarge(int maxBytes) {
    return new AdminError(
        413, "payload_too_large", "request body is larger than " + maxBytes + " bytes");
  }

  /**
   * Makes sure the connection can serve the next request: a request refused before its body was
   * read has the rest of its body, up to the cap, read and discarded; a larger one (or one that
   * cannot be read) closes the connection, so a client never sends its next request on a connection
   * the server is about to drop.
   */
  static void settle(HttpServletRequest request, HttpServletResponse response, int maxBytes) {
    if (request.getAttribute(READ) == Boolean.TRUE || request.getContentLengthLong() == 0) {
      return;
    }
    boolean drained;
    if (request.getContentLengthLong() > maxBytes) {
      drained = false;
    } else {
      try {
        drained = request.getInputStream().readNBytes(maxBytes + 1).length <= maxBytes;
      } catch (IOException | IllegalStateException e) {
        drained = false;
      }
    }
    if (!drained) {
      response.setHeader("Connection", "close");
    }
  }
}
