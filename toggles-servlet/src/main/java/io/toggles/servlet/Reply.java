package io.toggles.servlet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * What the admin endpoint answers: a status, a JSON body and, for a 405, the methods allowed.
 *
 * @param status the HTTP status
 * @param body the JSON body
 * @param allow the {@code Allow} header's value, or null for none
 */
record Reply(int status, ObjectNode body, @Nullable String allow) {

  static Reply ok(ObjectNode body) {
    return new Reply(200, body, null);
  }

  static Reply of(int status, ObjectNode body) {
    return new Reply(status, body, null);
  }

  /** The error body {@code {"error":code,"message":text}}. */
  static Reply error(int status, String code, @Nullable String message) {
    return new Reply(status, errorBody(code, message), null);
  }

  static ObjectNode errorBody(String code, @Nullable String message) {
    return Json.object().put("error", code).put("message", message == null ? code : message);
  }
}
