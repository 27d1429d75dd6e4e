package io.toggles.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
   * The text of a value field for {@code type} to parse: a string as it is, a boolean or number as
   * its JSON text.
   *
   * @throws AdminError 400 for an object, an array or null
   */
  static String valueText(JsonNode v) {
    if (v.isTextual()) {
      return v.asText();
    }
    if (v.isBoolean() || v.isNumber()) {
      return v.asText();
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
