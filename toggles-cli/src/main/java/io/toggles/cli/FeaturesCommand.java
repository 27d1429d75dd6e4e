package io.toggles.cli;

import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
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
    name = "features",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {"List the features: type, default, kill switch, row count, owner."},
    footerHeading = "%nExamples:%n",
    footer = {
      "  toggles features",
      "  toggles features --json | jq -r '.[] | select(.killed) | .key'"
    })
final class FeaturesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConnectionOptions conn;

  @Option(names = "--json", description = "Print JSON for scripts.")
  boolean json;

  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    try (Backend b = conn.open()) {
      List<FeatureState> all = b.store().loadAll();
      Output out = output.output();
      if (json) {
        List<Map<String, Object>> doc = new ArrayList<>();
        for (FeatureState s : all) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("key", s.key());
          m.put("declared", s.definition().isPresent());
          s.definition()
              .ifPresent(
                  d -> {
                    Map<String, Object> def = JsonOutput.definition(d);
                    def.remove("key");
                    m.putAll(def);
                  });
          m.put("killed", s.killed());
          m.put("rows", s.rows().size());
          doc.add(m);
        }
        out.json(doc);
        return ExitCode.OK;
      }
      if (all.isEmpty()) {
        out.println("No features yet; declare one with 'toggles define'.");
        return ExitCode.OK;
      }
      Table t =
          new Table(
              List.of("FEATURE", "TYPE", "DEFAULT", "KILLED", "ROWS", "OWNER", "DESCRIPTION"));
      for (FeatureState s : all) {
        t.row(
            List.of(
                s.key(),
                s.definition().map(d -> d.type().name()).orElse("(undeclared)"),
                Output.cell(s.definition().flatMap(FeatureDefinition::defaultValue)),
                s.killed() ? "KILLED" : "no",
                Integer.toString(s.rows().size()),
                s.definition().map(FeatureDefinition::owner).orElse(""),
                s.definition().map(FeatureDefinition::description).orElse("")));
      }
      t.print(out, "");
      return ExitCode.OK;
    }
  }
}
