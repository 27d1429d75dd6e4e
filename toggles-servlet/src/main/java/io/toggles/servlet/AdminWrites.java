package io.toggles.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.toggles.Audit;
import io.toggles.Change;
import io.toggles.Expect;
import io.toggles.Hierarchy;
import io.toggles.Scope;
import io.toggles.ToggleAdmin;
import io.toggles.Toggles;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write paths of the admin endpoint, each in the same steps: the request checks, the body read
 * into an {@link AdminWrite}, the authorizer, the write, and a sync of this node.
 */
final class AdminWrites {
  private static final Logger LOG = LoggerFactory.getLogger(TogglesAdminServlet.class);

  private final Toggles toggles;
  private final ToggleAdmin admin;
  private final Hierarchy hierarchy;
  private final RequestChecks checks;
  private final int maxBodyBytes;

  AdminWrites(Toggles toggles, ToggleAdmin admin, RequestChecks checks, int maxBodyBytes) {
    this.toggles = toggles;
    this.admin = admin;
    this.hierarchy = toggles.hierarchy();
    this.checks = checks;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Serves a write of {@code kind}; {@code feature} is the path's, empty for a revert.
   *
   * @return {@code {"changed":..,"change":..,"synced":..}}
   */
  Reply write(HttpServletRequest request, AdminAction.Kind kind, Optional<String> feature) {
    String actor = checks.requireWriteRequest(request);
    // None yet: a client asking for a dry run must not get a write.
    QueryParams.of(request, Set.of());
    ObjectNode body = RequestBody.read(request, maxBodyBytes);
    AdminWrite write = read(kind, feature, body, actor);
    checks.authorize(request, write.action());
    // The one place between an authorized write and the store: a dry run (?dryRun=true answering
    // the write's effect) and the confirmation flags for kills and wide writes go here, once core
    // can preview a write (ToggleAdmin.preview and a public Effect; not on main yet).
    return Reply.ok(written(write.perform(admin)));
  }

  private AdminWrite read(
      AdminAction.Kind kind, Optional<String> feature, ObjectNode body, String actor) {
    switch (kind) {
      case SET:
        {
          BodyFields f = new BodyFields(body, "scope", "value", "expectVersion", "reason");
          Scope scope = scope(f.requireObject("scope"));
          JsonNode value = f.require("value");
          Expect expect = expect(f);
          Audit audit = Audit.of(actor, f.requireText("reason"));
          return new AdminWrite.SetRow(feature.orElseThrow(), scope, value, expect, audit);
        }
      case UNSET:
        {
          BodyFields f = new BodyFields(body, "scope", "expectVersion", "reason");
          Scope scope = scope(f.requireObject("scope"));
          Expect expect = expect(f);
          Audit audit = Audit.of(actor, f.requireText("reason"));
          return new AdminWrite.UnsetRow(feature.orElseThrow(), scope, expect, audit);
        }
      case KILL:
      case UNKILL:
        {
          BodyFields f = new BodyFields(body, "reason");
          Audit audit = Audit.of(actor, f.requireText("reason"));
          return new AdminWrite.Switch(feature.orElseThrow(), kind == AdminAction.Kind.KILL, audit);
        }
      case REVERT:
        {
          BodyFields f = new BodyFields(body, "revision", "reason");
          JsonNode rev = f.require("revision");
          if (!rev.canConvertToLong() || !rev.isIntegralNumber() || rev.asLong() < 1) {
            throw AdminError.badRequest("'revision' must be a positive integer");
          }
          long revision = rev.asLong();
          Audit audit = Audit.of(actor, f.requireText("reason"));
          Change target =
              admin
                  .change(revision)
                  .orElseThrow(() -> AdminError.badRequest("no change at revision " + revision));
          return new AdminWrite.Revert(revision, target.feature(), audit);
        }
      default:
        throw new AssertionError(kind);
    }
  }

  private ObjectNode written(Optional<Change> change) {
    ObjectNode out = Json.object().put("changed", change.isPresent());
    out.set("change", change.map(AdminJson::change).orElse(null));
    boolean synced;
    try {
      toggles.sync();
      synced = true;
    } catch (RuntimeException e) {
      LOG.warn(
          "toggles: write done, but syncing this node after it failed: {}", LogText.causes(e, 500));
      synced = false;
    }
    return out.put("synced", synced);
  }

  private Scope scope(ObjectNode node) {
    Scope.Builder b = hierarchy.scope();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!hierarchy.dimensions().contains(e.getKey())) {
        throw AdminError.badRequest(
            "scope names unknown dimension "
                + LogText.quote(e.getKey())
                + "; the hierarchy is "
                + hierarchy.dimensions());
      }
      if (!e.getValue().isTextual()) {
        throw AdminError.badRequest("scope value of '" + e.getKey() + "' must be a string");
      }
      b.with(e.getKey(), e.getValue().asText());
    }
    return b.build();
  }

  private static Expect expect(BodyFields f) {
    JsonNode v = f.optional("expectVersion");
    if (v == null || v.isNull()) {
      return Expect.any();
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw AdminError.badRequest(
          "'expectVersion' must be 0 (the row must not exist) or a row version from 1");
    }
    return v.asLong() == 0 ? Expect.absent() : Expect.version(v.asLong());
  }
}
