package io.toggles.servlet;

import io.toggles.FeatureDefinition;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Which part of the admin endpoint serves a request, by its path and method. */
final class AdminRoutes {
  private final AdminReads reads;
  private final AdminWrites writes;

  AdminRoutes(AdminReads reads, AdminWrites writes) {
    this.reads = reads;
    this.writes = writes;
  }

  /** The request's path below the servlet's mapping, {@code /} for none. */
  static String path(HttpServletRequest request) {
    String p = request.getPathInfo();
    return p == null ? "/" : p;
  }

  /**
   * Serves {@code request}.
   *
   * @throws AdminError 404 for an unknown path, 405 for a wrong method; whatever the part throws
   */
  Reply route(HttpServletRequest request) {
    String[] parts = path(request).replaceAll("^/+|/+$", "").split("/", -1);
    String method = request.getMethod();
    if (parts.length == 1) {
      switch (parts[0]) {
        case "health":
          requireGet(method);
          return reads.health(request);
        case "features":
          requireGet(method);
          return reads.listFeatures(request);
        case "eval":
          requireGet(method);
          return reads.evaluate(request);
        case "history":
          requireGet(method);
          return reads.history(request);
        case "revert":
          requirePost(method);
          return writes.write(request, AdminAction.Kind.REVERT, Optional.empty());
        default:
          break;
      }
    }
    if (parts.length == 2 && parts[0].equals("features")) {
      requireGet(method);
      return reads.readFeature(request, FeatureDefinition.requireValidKey(parts[1]));
    }
    if (parts.length == 3 && parts[0].equals("features")) {
      AdminAction.Kind write = writeKind(parts[2]);
      if (write != null) {
        requirePost(method);
        return writes.write(
            request, write, Optional.of(FeatureDefinition.requireValidKey(parts[1])));
      }
      if (parts[2].equals("rows")) {
        requireGet(method);
        return reads.listRows(request, FeatureDefinition.requireValidKey(parts[1]));
      }
    }
    throw AdminError.notFound(
        "no such admin path; expected health, features, features/{key}, features/{key}/rows,"
            + " features/{key}/(set|unset|kill|unkill), eval, history or revert");
  }

  private static AdminAction.@Nullable Kind writeKind(String verb) {
    switch (verb) {
      case "set":
        return AdminAction.Kind.SET;
      case "unset":
        return AdminAction.Kind.UNSET;
      case "kill":
        return AdminAction.Kind.KILL;
      case "unkill":
        return AdminAction.Kind.UNKILL;
      default:
        return null;
    }
  }

  private static void requireGet(String method) {
    if (!method.equals("GET")) {
      throw AdminError.methodNotAllowed("GET");
    }
  }

  private static void requirePost(String method) {
    if (!method.equals("POST")) {
      throw AdminError.methodNotAllowed("POST");
    }
  }
}
