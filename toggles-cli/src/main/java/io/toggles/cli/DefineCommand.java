package io.toggles.cli;

import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.SettingType;
import io.toggles.SettingValue;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "define",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Declare a feature (key, type, default, description, owner), or change its declaration.",
      "On a feature already declared, options left out keep their current values. A boolean"
          + " feature declared without --default defaults to false."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  toggles define checkout.new-flow --type boolean --owner team-checkout \\",
      "      --description 'New checkout flow' --reason 'JIRA-42'",
      "  toggles define checkout.gateway --type string --default stripe --reason 'JIRA-43'",
      "  toggles define checkout.gateway --owner team-payments --reason 'team change'"
    })
final class DefineCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin FeatureArgument feature;

  @Mixin WriteSession write;

  @Option(
      names = {"-t", "--type"},
      paramLabel = "TYPE",
      description = "boolean, string, long, decimal or json. Required for a new feature.")
  String type;

  @Option(
      names = "--default",
      paramLabel = "VALUE",
      description = "The value when no row matches (and, for non-boolean features, when killed).")
  String defaultValue;

  @Option(names = "--description", paramLabel = "TEXT", description = "What the feature does.")
  String description;

  @Option(names = "--owner", paramLabel = "WHO", description = "Who to call about it.")
  String owner;

  @Override
  public Integer call() {
    String key = feature.key();
    Optional<SettingType> t;
    try {
      t = Optional.ofNullable(type).map(SettingType::named);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    return write.run(b -> plan(b.admin().read(key), t));
  }

  private Optional<WritePlan> plan(FeatureState before, Optional<SettingType> t) {
    String key = before.key();
    Optional<FeatureDefinition> previous = before.definition();
    SettingType resolved =
        t.or(() -> previous.map(FeatureDefinition::type))
            .orElseThrow(() -> usage("a new feature needs --type (boolean, string, ...)"));
    FeatureDefinition.Builder def = FeatureDefinition.builder(key, resolved);
    Optional<SettingValue> dflt =
        defaultValue != null
            ? Optional.of(
                ValueText.parse(FeatureDefinition.builder(key, resolved).build(), defaultValue))
            : previous
                .filter(p -> p.type() == resolved)
                .flatMap(FeatureDefinition::defaultValue)
                .or(
                    () ->
                        resolved == SettingType.BOOLEAN
                            ? Optional.of(SettingValue.of(false))
                            : Optional.empty());
    dflt.ifPresent(def::defaultValue);
    def.description(
        description != null
            ? description
            : previous.map(FeatureDefinition::description).orElse(""));
    def.owner(owner != null ? owner : previous.map(FeatureDefinition::owner).orElse(""));
    FeatureDefinition next;
    try {
      next = def.build();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    Output out = write.output();
    if (previous.isPresent() && previous.get().equals(next)) {
      out.println("Nothing to do: " + key + " is already declared so.");
      return Optional.empty();
    }
    String summary =
        (previous.isPresent() ? "redeclare " : "declare ")
            + key
            + " ("
            + next.type()
            + ", default "
            + out.value(next.defaultValue())
            + (next.owner().isEmpty() ? "" : ", owner " + out.text(next.owner()))
            + ")";
    WritePlan.Op op = (admin, expect, audit) -> List.of(admin.define(next, audit));
    return Optional.of(
        new WritePlan(
            before, Optional.empty(), summary, op, op, Expect.any(), false, previous.isPresent()));
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
