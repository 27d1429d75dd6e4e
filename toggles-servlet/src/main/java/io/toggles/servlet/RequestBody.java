package io.toggles.servlet;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/** Reads a write's JSON body, capped; and settles an unread body before the answer. */
final class RequestBody {
  private static final String READ = RequestBody.class.getName() + ".read";

  private RequestBody() {}

  /**
   * The body of {@code request}, a JSON object of at most {@code maxBytes} bytes.
   *
   * @throws AdminError 413 if larger, 400 if it is not a JSON object
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
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(bytes);
    } catch (JacksonException e) {
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
    if (node == null || !node.isObject()) {
      throw AdminError.badRequest("request body must be a JSON object");
    }
    return (ObjectNode) node;
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
