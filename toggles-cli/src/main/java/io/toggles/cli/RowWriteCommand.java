package io.toggles.cli;

import io.toggles.Expect;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.Scope;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** A write of one row: {@code set}, {@code unset}, {@code enable}, {@code disable}. */
abstract class RowWriteCommand extends WriteCommand {
  @Parameters(index = "0", paramLabel = "FEATURE", description = "The feature key.")
  String feature;

  @Mixin ScopeOptions where;

  @Option(
      names = "--expect-version",
      paramLabel = "N",
      description =
          "Write only if the row is still at version N (see 'list'); else exit 3 and write"
              + " nothing.")
  Long expectVersion;

  @Option(
      names = "--expect-absent",
      description = "Write only if the row does not exist yet; else exit 3 and write nothing.")
  boolean expectAbsent;

  /** Everything checked before connecting: key, scope, expectation, reason. */
  record Checked(String key, Hierarchy hierarchy, Scope scope, Expect expect) {}

  Checked check() {
    String key = key(feature);
    Hierarchy h = conn.hierarchy(cli(), spec);
    Scope scope = where.scope(h, spec);
    if (expectVersion != null && expectAbsent) {
      throw usage("--expect-version and --expect-absent exclude each other");
    }
    Expect expect;
    if (expectAbsent) {
      expect = Expect.absent();
    } else if (expectVersion != null) {
      if (expectVersion < 1) {
        throw usage("--expect-version must be 1 or more (a row's version from 'list')");
      }
      expect = Expect.version(expectVersion);
    } else {
      expect = Expect.any();
    }
    if (!write.dryRun) {
      write.audit(spec);
    }
    return new Checked(key, h, scope, expect);
  }

  static boolean hasRow(FeatureState state, Scope scope) {
    return state.rows().stream().anyMatch(s -> s.scope().equals(scope));
  }
}
