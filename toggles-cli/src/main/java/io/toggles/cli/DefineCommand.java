package io.toggles.cli;

import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.SettingType;
import io.toggles.SettingValue;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
final class DefineCommand extends WriteCommand {
  @Parameters(index = "0", paramLabel = "FEATURE", description = "The feature key.")
  String feature;

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
    String key = key(feature);
    Optional<SettingType> t;
    try {
      t = Optional.ofNullable(type).map(SettingType::named);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (!write.dryRun) {
      write.audit(spec);
    }
    try (Backend b = open(conn)) {
      FeatureState before = b.admin().read(key);
      Optional<FeatureDefinition> previous = before.definition();
      SettingType resolved =
          t.or(() -> previous.map(FeatureDefinition::type))
              .orElseThrow(() -> usage("a new feature needs --type (boolean, string, ...)"));
      FeatureDefinition.Builder def = FeatureDefinition.builder(key, resolved);
      Optional<SettingValue> dflt =
          defaultValue != null
              ? Optional.of(parse(FeatureDefinition.builder(key, resolved).build(), defaultValue))
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
      if (previous.isPresent() && previous.get().equals(next)) {
        out().println("Nothing to do: " + key + " is already declared so.");
        return ExitCode.OK;
      }
      String summary =
          (previous.isPresent() ? "redeclare " : "declare ")
              + key
              + " ("
              + next.type()
              + ", default "
              + Rows.value(next.defaultValue())
              + (next.owner().isEmpty() ? "" : ", owner " + next.owner())
              + ")";
      WriteCommand.Op op = (admin, expect, audit) -> List.of(admin.define(next, audit));
      return execute(
          b,
          before,
          new Plan(
              key, Optional.empty(), summary, op, op, Expect.any(), false, previous.isPresent()));
    }
  }
}
