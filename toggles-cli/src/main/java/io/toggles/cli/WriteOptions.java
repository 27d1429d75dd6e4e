package io.toggles.cli;

import io.toggles.Audit;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options of every writing command: who, why, preview, and the guard rail's confirmation. */
final class WriteOptions {
  static final int DEFAULT_MAX_SCOPES = 10;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = {"-r", "--reason"},
      paramLabel = "TEXT",
      description =
          "Why the change is made (incident, ticket, sentence); recorded in the change log."
              + " Required for every write.")
  String reason;

  @Option(
      names = "--actor",
      paramLabel = "NAME",
      description = "Who makes the change, for the change log. Default: the OS user.")
  String actor;

  @Option(
      names = {"-n", "--dry-run"},
      description =
          "Write nothing: print what would change, which effective values change for the"
              + " scopes affected, and which more specific rows mask the change.")
  boolean dryRun;

  @Option(
      names = {"-y", "--yes"},
      description =
          "Confirm a write that needs confirmation (every kill, and any write reaching more"
              + " than --max-scopes scopes or all unlisted traffic) without asking.")
  boolean yes;

  @Option(
      names = "--max-scopes",
      paramLabel = "N",
      description =
          "Writes whose effect reaches more scopes than this need confirmation. Default:"
              + " 'maxScopes' in the config file, else "
              + DEFAULT_MAX_SCOPES
              + ".")
  Integer maxScopes;

  /**
   * Checks before connecting that a real write has its audit; nothing to check for a dry run.
   *
   * @throws ParameterException as {@link #audit()}
   */
  void requireAuditUnlessDryRun() {
    if (!dryRun) {
      audit();
    }
  }

  /** The audit to write with: the real one, or for a dry run {@link #simulationAudit()}. */
  Audit auditOrSimulation() {
    return dryRun ? simulationAudit() : audit();
  }

  /**
   * The audit of a real write.
   *
   * @throws ParameterException without a reason, or for a blank or overlong actor or reason
   */
  Audit audit() {
    if (reason == null || reason.isBlank()) {
      throw new ParameterException(
          spec.commandLine(),
          "every write needs --reason TEXT (an incident, a ticket, a sentence); it goes into the"
              + " change log");
    }
    try {
      return Audit.of(actor(), reason);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** The audit to simulate with: the real one if complete, else a placeholder. */
  Audit simulationAudit() {
    String r = reason == null || reason.isBlank() ? "dry run" : reason;
    try {
      return Audit.of(actor(), r);
    } catch (IllegalArgumentException e) {
      return Audit.of("dry-run", "dry run");
    }
  }

  String actor() {
    if (actor != null) {
      return actor; // checked by Audit
    }
    return Optional.ofNullable(System.getProperty("user.name"))
        .filter(s -> !s.isBlank())
        .orElse("unknown");
  }

  int maxScopes(Optional<Integer> fromConfig) {
    int max = maxScopes != null ? maxScopes : fromConfig.orElse(DEFAULT_MAX_SCOPES);
    if (max < 0) {
      throw new ParameterException(spec.commandLine(), "--max-scopes must be 0 or more");
    }
    return max;
  }
}
