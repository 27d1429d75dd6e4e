package io.toggles.cli;

import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.Setting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConnectionOptions conn;

  @Mixin FeatureArgument feature;

  @Option(names = "--json", description = "Print JSON for scripts.")
  boolean json;

  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    String key = feature.key();
    try (Backend b = conn.open()) {
      FeatureState s = b.readKnown(key);
      Hierarchy h = b.store().hierarchy();
      List<Setting> rows = RowTables.inPrecedenceOrder(s.rows());
      Output out = output.output();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("definition", s.definition().map(JsonOutput::definition).orElse(null));
        m.put("killed", s.killed());
        m.put("revision", s.revision());
        List<Object> json = new ArrayList<>();
        rows.forEach(r -> json.add(JsonOutput.row(r)));
        m.put("rows", json);
        out.json(m);
        return ExitCode.OK;
      }
      out.println(
          key
              + ": "
              + s.definition()
                  .map(d -> d.type() + ", default " + out.value(d.defaultValue()))
                  .orElse("undeclared")
              + ", "
              + (s.killed()
                  ? "KILLED (answers "
                      + out.value(s.definition().flatMap(FeatureDefinition::killValue))
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
      RowTables.rows(h, rows).print(out, "  ");
      return ExitCode.OK;
    }
  }
}
