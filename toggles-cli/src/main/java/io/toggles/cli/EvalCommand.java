package io.toggles.cli;

import io.toggles.Context;
import io.toggles.Explanation;
import io.toggles.Hierarchy;
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
    name = "eval",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "The value an application gets for a request context, resolved by the library's own"
          + " resolver. The scope options give the request's values; one left out is absent.",
      "With --explain: which row won, and why each other row lost or does not match."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  toggles eval checkout.new-flow --product shop --merchant m1 --country DE",
      "  toggles eval checkout.new-flow --product shop --country DE --explain",
      "  toggles eval checkout.gateway --scope product=shop --json"
    })
final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConnectionOptions conn;

  @Mixin FeatureArgument feature;

  @Mixin ScopeOptions where;

  @Option(names = "--explain", description = "Say which row won and why the others lost.")
  boolean explain;

  @Option(names = "--json", description = "Print JSON for scripts.")
  boolean json;

  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    String key = feature.key();
    Hierarchy h = conn.hierarchy();
    Context ctx = where.context(h);
    try (Backend b = conn.open()) {
      Explanation e = Explanation.of(h, b.readKnown(key), ctx);
      Output out = output.output();
      if (json) {
        out.json(json(e));
        return ExitCode.OK;
      }
      String[] lines = e.render(out.width()).split("\n");
      for (String line : lines) {
        boolean detail =
            line.startsWith("  lost:")
                || line.startsWith("  excluded:")
                || line.startsWith("  ...");
        if (explain || !detail) {
          out.println(line);
        }
      }
      out.flush();
      return ExitCode.OK;
    }
  }

  private static Map<String, Object> json(Explanation e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("feature", e.feature());
    m.put("context", e.context().asMap());
    m.put("value", JsonOutput.value(e.value()));
    m.put("type", e.definition().map(d -> d.type().name()).orElse(null));
    m.put("outcome", e.outcome().name());
    m.put("winner", e.winner().map(JsonOutput::row).orElse(null));
    List<Object> lost = new ArrayList<>();
    for (Explanation.Outranked o : e.outranked()) {
      Map<String, Object> r = JsonOutput.row(o.setting());
      r.put("lostOn", o.lostOn());
      lost.add(r);
    }
    m.put("outranked", lost);
    List<Object> excluded = new ArrayList<>();
    for (Explanation.Excluded x : e.excluded()) {
      Map<String, Object> r = JsonOutput.row(x.setting());
      r.put("dimension", x.dimension());
      r.put("contextValue", x.contextValue().orElse(null));
      excluded.add(r);
    }
    m.put("excluded", excluded);
    m.put("excludedTotal", e.excludedTotal());
    m.put("revision", e.revision());
    return m;
  }
}
