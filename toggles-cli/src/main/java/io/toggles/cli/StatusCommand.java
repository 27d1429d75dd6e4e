package io.toggles.cli;

import io.toggles.TogglesException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Is the database reachable, is the schema there and of which version, and what the store"
          + " holds: revision, features, rows, changes.",
      "Exit code 0 when the store is usable, 1 otherwise."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  toggles status", "  toggles status --json"})
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConnectionOptions conn;

  @Option(names = "--json", description = "Print JSON for scripts.")
  boolean json;

  @Override
  public Integer call() {
    Target target = conn.target();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("url", target.displayUrl());
    m.put("hierarchy", target.hierarchy().dimensions());
    int code = ExitCode.OK;
    try (Backend b = conn.connect(target)) {
      Backend.SchemaInfo s = b.schema();
      m.put("reachable", true);
      m.put("schemaPresent", s.present());
      m.put("schemaVersion", s.version());
      m.put("supportedSchemaVersion", s.supported());
      if (s.usable()) {
        Backend.Stats st = b.stats();
        m.put("revision", st.revision());
        m.put("features", st.features());
        m.put("rows", st.rows());
        m.put("changes", st.changes());
      } else {
        code = ExitCode.FAILED;
        m.put(
            "problem",
            s.present()
                ? "schema version " + s.version() + " is too new for this CLI"
                : "schema missing: run 'toggles init'");
      }
    } catch (TogglesException e) {
      m.put("reachable", false);
      m.put("problem", ErrorHandler.message(e));
      code = ExitCode.FAILED;
    }
    Output out = Output.of(spec);
    if (json) {
      out.json(m);
      return code;
    }
    out.println("database:   " + m.get("url"));
    out.println("reachable:  " + (Boolean.TRUE.equals(m.get("reachable")) ? "yes" : "no"));
    out.println("hierarchy:  " + String.join(" > ", target.hierarchy().dimensions()));
    if (m.containsKey("schemaPresent")) {
      out.println(
          "schema:     "
              + (Boolean.TRUE.equals(m.get("schemaPresent"))
                  ? "version " + m.get("schemaVersion")
                  : "missing")
              + " (this CLI supports version "
              + m.get("supportedSchemaVersion")
              + ")");
    }
    if (m.containsKey("revision")) {
      out.println("revision:   " + m.get("revision"));
      out.println("features:   " + m.get("features"));
      out.println("rows:       " + m.get("rows"));
      out.println("changes:    " + m.get("changes"));
    }
    if (m.containsKey("problem")) {
      out.println("problem:    " + m.get("problem"));
    }
    out.flush();
    return code;
  }
}
