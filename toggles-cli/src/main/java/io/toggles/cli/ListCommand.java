package io.toggles.cli;

import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.Setting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Show a feature's rows in precedence order: the first row matching a request wins.",
      "* is a wildcard. VERSION is what --expect-version compares."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  toggles list checkout.new-flow", "  toggles list checkout.new-flow --json"})
final class ListCommand extends CommandBase {
  @Mixin ConnectionOptions conn;

  @Parameters(index = "0", paramLabel = "FEATURE", description = "The feature key.")
  String feature;

  @Option(names = "--json", description = "Print JSON for scripts.")
  boolean json;

  @Override
  public Integer call() {
    String key = key(feature);
    try (Backend b = open(conn)) {
      FeatureState s = known(b, key);
      Hierarchy h = b.store().hierarchy();
      List<Setting> rows = Rows.inPrecedenceOrder(s.rows());
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("definition", s.definition().map(Json::definition).orElse(null));
        m.put("killed", s.killed());
        m.put("revision", s.revision());
        List<Object> out = new ArrayList<>();
        rows.forEach(r -> out.add(Json.row(r)));
        m.put("rows", out);
        Json.print(out(), m);
        return ExitCode.OK;
      }
      out()
          .println(
              key
                  + ": "
                  + s.definition()
                      .map(d -> d.type() + ", default " + Rows.value(d.defaultValue()))
                      .orElse("undeclared")
                  + ", "
                  + (s.killed()
                      ? "KILLED (answers "
                          + Rows.value(s.definition().flatMap(FeatureDefinition::killValue))
                          + " everywhere)"
                      : "kill switch off")
                  + ", "
                  + rows.size()
                  + (rows.size() == 1 ? " row" : " rows")
                  + " at revision "
                  + s.revision());
      if (rows.isEmpty()) {
        return ExitCode.OK;
      }
      List<String> headers = new ArrayList<>(Rows.dimensionHeaders(h));
      headers.add("VALUE");
      headers.add("VERSION");
      Table t = new Table(headers);
      for (Setting r : rows) {
        List<String> cells = new ArrayList<>(Rows.cells(h, r.scope()));
        cells.add(r.value().text());
        cells.add(Long.toString(r.version()));
        t.row(cells);
      }
      t.print(out(), "  ");
      return ExitCode.OK;
    }
  }
}
