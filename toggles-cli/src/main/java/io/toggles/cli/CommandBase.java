package io.toggles.cli;

import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.SettingValue;
import io.toggles.StoreException;
import io.toggles.TogglesException;
import io.toggles.UnknownFeatureException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand shares: its output streams, the injected world, opening the store. */
abstract class CommandBase implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ParentCommand TogglesCommand root;

  Cli cli() {
    return root.cli;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /**
   * Opens the store and checks that its schema is there and of the supported version.
   *
   * @throws StoreException if the database is unreachable or the schema is missing or too new
   */
  Backend open(ConnectionOptions conn) {
    Target target = conn.target(cli(), spec);
    Backend backend = cli().connector().open(target);
    try {
      requireSchema(backend, target);
      return backend;
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
  }

  /** Checks a feature key before anything else happens. */
  String key(String feature) {
    try {
      return FeatureDefinition.requireValidKey(feature);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /** Parses a value as the feature's type, naming both on failure. */
  static SettingValue parse(FeatureDefinition definition, String text) {
    try {
      return definition.type().parse(text);
    } catch (IllegalArgumentException e) {
      throw new TogglesException(
          "value "
              + quote(text)
              + " does not fit feature '"
              + definition.key()
              + "' of type "
              + definition.type()
              + ": "
              + e.getMessage());
    }
  }

  /** The feature's state; refuses a feature the store knows nothing of. */
  static FeatureState known(Backend backend, String feature) {
    FeatureState state = backend.admin().read(feature);
    if (state.definition().isEmpty() && state.rows().isEmpty()) {
      throw new UnknownFeatureException(feature);
    }
    return state;
  }

  /** Quotes user input for a message, cut short and with control characters escaped. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder("'");
    for (int i = 0; i < text.length() && i < 80; i++) {
      char c = text.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    out.append('\'');
    if (text.length() > 80) {
      out.append("... (").append(text.length()).append(" chars)");
    }
    return out.toString();
  }

  static void requireSchema(Backend backend, Target target) {
    Backend.SchemaInfo s = backend.schema();
    if (!s.present()) {
      throw new StoreException(
          "no toggles schema in "
              + target.displayUrl()
              + ": run 'toggles init' first (or have a DBA apply 'toggles schema --print')");
    }
    if (!s.usable()) {
      throw new StoreException(
          "the toggles schema in "
              + target.displayUrl()
              + " is version "
              + s.version()
              + " and needs a reader of version "
              + s.minReaderVersion()
              + " or later; this CLI supports "
              + s.supported()
              + ": use a newer toggles CLI");
    }
    if (s.version() < s.supported()) { // an older schema: init upgrades it
      throw new StoreException(
          "the toggles schema in "
              + target.displayUrl()
              + " is version "
              + s.version()
              + ", older than this CLI needs ("
              + s.supported()
              + "): run 'toggles init' to upgrade it");
    }
  }
}
