package io.toggles.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.toggles.SettingType;
import io.toggles.SettingValue;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The fields of a write's JSON body: only the named ones are allowed. */
final class BodyFields {
  private final ObjectNode body;

  /**
   * The fields of {@code body}.
   *
   * @throws AdminError 400 naming the first field that is not {@code allowed}
   */
  BodyFields(ObjectNode body, String... allowed) {
    this.body = body;
    List<String> names = List.of(allowed);
    for (Map.Entry<String, JsonNode> field : body.properties()) {
      String name = field.getKey();
      if (!names.contains(name)) {
        throw AdminError.badRequest("unknown field " + LogText.quote(name) + "; expected " + names);
      }
    }
  }

  @Nullable JsonNode optional(String name) {
    return body.get(name);
  }

  JsonNode require(String name) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) {
      throw AdminError.badRequest("field '" + name + "' is required");
    }
    return v;
  }

  String requireText(String name) {
    JsonNode v = require(name);
    if (!v.isTextual()) {
      throw AdminError.badRequest("field '" + name + "' must be a string");
    }
    return v.asText();
  }

  /**
   * The {@code value} field as a value of {@code type}: a string is parsed as the value's text; a
   * boolean as {@code true}/{@code false}; a number exactly as written, never through a {@code
   * double}: a {@code DECIMAL} keeps every digit (within the 100 digits and the exponent of ±1000 a
   * decimal may have, refused beyond), a {@code LONG} must be an integer in its range.
   *
   * @throws AdminError 400 for an object, an array, or a number a {@code LONG} cannot hold
   * @throws IllegalArgumentException if the text is not a value of {@code type}
   */
  static SettingValue settingValue(SettingType type, JsonNode v) {
    if (v.isTextual()) {
      return type.parse(v.asText());
    }
    if (v.isBoolean()) {
      return type.parse(v.asText());
    }
    if (v.isNumber()) {
      switch (type) {
        case DECIMAL:
          return SettingValue.of(v.decimalValue());
        case LONG:
          if (v.isIntegralNumber() && !v.canConvertToLong()) {
            throw AdminError.badRequest(
                "'value' "
                    + LogText.escape(v.asText(), 40)
                    + " is outside the range of a long ("
                    + Long.MIN_VALUE
                    + " to "
                    + Long.MAX_VALUE
                    + ")");
          }
          return v.isIntegralNumber() ? SettingValue.of(v.longValue()) : type.parse(v.asText());
        default:
          return type.parse(v.asText());
      }
    }
    throw AdminError.badRequest(
        "'value' must be a string (the value's text; a JSON setting's document as a string), a"
            + " boolean or a number");
  }

  ObjectNode requireObject(String name) {
    JsonNode v = require(name);
    if (!v.isObject()) {
      throw AdminError.badRequest(
          "field '" + name + "' must be an object of dimension names to values ({} for global)");
    }
    return (ObjectNode) v;
  }
}
