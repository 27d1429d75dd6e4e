package io.toggles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.toggles.Context;
import io.toggles.Hierarchy;
import io.toggles.Toggles;
import io.toggles.jdbc.JdbcStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI driven in-process against a real database, as an on-call engineer would use it. Each test
 * gets a database (or schema) of its own; subclasses say which database.
 */
abstract class AbstractCliTest {
  static final String F = "checkout.new-flow";

  @TempDir Path home;

  CliRunner cli;
  String url;
  private final List<AutoCloseable> closeAfter = new ArrayList<>();

  /** A JDBC URL of an empty database (or schema) for one test. */
  abstract String newDatabaseUrl();

  @BeforeEach
  void setUp() {
    url = newDatabaseUrl();
    cli = new CliRunner(home).always("--url", url);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeAfter) {
      c.close();
    }
  }

  CliRunner.Result ok(String command, String... args) {
    CliRunner.Result r = cli.run(command, args);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.err()).as(r.toString()).isEmpty();
    return r;
  }

  JdbcStore store() {
    JdbcStore s = JdbcStore.builder(url).build();
    closeAfter.add(s);
    return s;
  }

  /** What the database holds, counted by plain SQL (works whatever the schema version). */
  record Counts(long rows, long changes, long features) {
    long changeCount() {
      return changes;
    }

    long rowCount() {
      return rows;
    }
  }

  Counts stats() {
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      return new Counts(
          count(st, "toggles_settings"),
          count(st, "toggles_changes"),
          count(st, "toggles_features"));
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long count(Statement st, String table) throws java.sql.SQLException {
    try (java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A store with the schema and a boolean feature with a product row and a country row. */
  void givenFeatureWithRows() {
    ok("init");
    ok("define", F, "--type", "boolean", "--owner", "team-checkout", "--reason", "JIRA-42");
    ok("enable", F, "--product", "shop", "--reason", "JIRA-42 step 1");
    ok("disable", F, "--product", "shop", "--country", "DE", "--reason", "JIRA-42 not DE");
  }

  void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  static void await(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
  }

  // ------------------------------------------------------------------ happy paths

  @Test
  void initIsIdempotentAndStatusReportsTheStore() {
    assertThat(ok("init").out()).contains("Schema version 2 ready", "(created)");
    assertThat(ok("init").out()).contains("already present, nothing changed");
    givenFeatureWithRows();
    CliRunner.Result status = ok("status");
    assertThat(status.out())
        .contains("reachable:  yes", "schema:     version 2", "features:   1", "rows:       2");
    JsonNode json = json(ok("status", "--json").out());
    assertThat(json.get("reachable").asBoolean()).isTrue();
    assertThat(json.get("revision").asLong()).isEqualTo(3);
    assertThat(json.get("changes").asLong()).isEqualTo(3);
  }

  @Test
  void listShowsRowsInPrecedenceOrderAndEvalExplainsTheWinner() {
    givenFeatureWithRows();
    CliRunner.Result list = ok("list", F);
    assertThat(list.out())
        .contains("BOOLEAN, default false, kill switch off, 2 rows")
        .containsPattern("(?s)shop +\\* +DE +false +3.*shop +\\* +\\* +true +2");

    CliRunner.Result eval =
        ok("eval", F, "--product", "shop", "--merchant", "m1", "--country", "DE", "--explain");
    assertThat(eval.out())
        .contains(F + " for {product=shop, merchant=m1, country=DE} = false")
        .contains("winner: {product=shop, country=DE} = false (version 3)")
        .contains("lost:     {product=shop} = true (the winner names country");
    assertThat(ok("eval", F, "--product", "shop", "--country", "AT").out())
        .contains("= true")
        .doesNotContain("lost:");
    JsonNode j = json(ok("eval", F, "--scope", "product=other", "--json").out());
    assertThat(j.get("value").asText()).isEqualTo("false");
    assertThat(j.get("outcome").asText()).isEqualTo("DEFAULT");
  }

  @Test
  void featuresListsKillStateAndRowCount() {
    givenFeatureWithRows();
    assertThat(ok("features").out()).containsPattern(F + " +BOOLEAN +false +no +2 +team-checkout");
    JsonNode j = json(ok("features", "--json").out());
    assertThat(j.get(0).get("key").asText()).isEqualTo(F);
    assertThat(j.get(0).get("rows").asInt()).isEqualTo(2);
    assertThat(j.get(0).get("killed").asBoolean()).isFalse();
  }

  @Test
  void dryRunWritesNothingAndShowsWhichValuesChangeAndWhichRowsMask() {
    givenFeatureWithRows();
    Counts before = stats();
    CliRunner.Result r = ok("enable", F, "--country", "DE", "--dry-run");
    assertThat(r.out())
        .contains("Dry run, nothing written: would set " + F + " at {country=DE} to true")
        .contains("No effect on the scopes the rows name")
        .containsPattern("shop +\\* +DE +false +3")
        .contains("It would only change requests with values no row names")
        .containsPattern("\\* +\\* +DE +false +true");
    CliRunner.Result merchant = ok("enable", F, "--merchant", "m1", "--dry-run");
    assertThat(merchant.out())
        .contains("No effect on the scopes the rows name")
        .containsPattern("shop +\\* +DE +false +3")
        .containsPattern("shop +\\* +\\* +true +2")
        .containsPattern("\\* +m1 +\\* +false +true")
        .containsPattern("\\* +m1 +DE +false +true");
    CliRunner.Result pinned = ok("enable", F, "--product", "shop", "--merchant", "m1", "--dry-run");
    assertThat(pinned.out())
        .contains("Effective values that would change: 1 of 2 contexts")
        .containsPattern("shop +m1 +DE +false +true");
    assertThat(stats()).isEqualTo(before);
  }

  @Test
  void dryRunOfACountryRowThatEveryProductRowOverridesSaysSo() {
    ok("init");
    ok("define", F, "--type", "boolean", "--reason", "r");
    ok("enable", F, "--product", "shop", "--reason", "r");
    ok("enable", F, "--product", "app", "--reason", "r");
    ok("enable", F, "--country", "DE", "--reason", "r");
    Counts before = stats();
    CliRunner.Result r = ok("disable", F, "--country", "DE", "--dry-run");
    assertThat(r.out())
        .contains(
            "No effect on the scopes the rows name: every matching context is overridden by"
                + " more specific rows:")
        .containsPattern("app +\\* +\\* +true +3")
        .containsPattern("shop +\\* +\\* +true +2")
        .contains("It would only change requests with values no row names")
        .containsPattern("\\* +\\* +DE +true +false");
    assertThat(stats()).isEqualTo(before);
  }

  @Test
  void aWriteTheKillSwitchHidesSaysItCountsOnlyOnceUnkilled() {
    givenFeatureWithRows();
    ok("kill", F, "--reason", "INC-1", "--yes");
    CliRunner.Result r = ok("enable", F, "--country", "DE", "--dry-run");
    assertThat(r.out()).contains("No effect now: the kill switch is on and beats every row");
  }

  @Test
  void killWithoutYesOffATerminalIsRefusedAndWritesNothing() {
    givenFeatureWithRows();
    Counts before = stats();
    CliRunner.Result r = cli.run("kill", F, "--reason", "INC-1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("add --yes to confirm");
    assertThat(stats()).isEqualTo(before);
    assertThat(store().read(F).killed()).isFalse();
  }

  @Test
  void killOnATerminalAsksAndANoWritesNothing() {
    givenFeatureWithRows();
    Counts before = stats();
    List<String> asked = new ArrayList<>();
    cli.terminal = CliRunner.answering(false, asked);
    CliRunner.Result r = cli.run("kill", F, "--reason", "INC-1");
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(asked).singleElement().asString().contains("Really kill " + F);
    assertThat(r.err()).contains("not confirmed; nothing was written");
    assertThat(stats()).isEqualTo(before);
    cli.terminal = CliRunner.answering(true, asked);
    assertThat(cli.run("kill", F, "--reason", "INC-1").code()).isZero();
    assertThat(store().read(F).killed()).isTrue();
  }

  @Test
  void aWriteReachingMoreScopesThanTheLimitNeedsYes() {
    ok("init");
    ok("define", F, "--type", "boolean", "--reason", "r");
    for (String c : List.of("AT", "BE", "CH")) {
      ok("enable", F, "--product", "shop", "--country", c, "--reason", "r");
    }
    Counts before = stats();
    // {merchant=m1} reaches m1 for any product in any country except shop in AT, BE, CH.
    CliRunner.Result global = cli.run("enable", F, "--reason", "everyone");
    assertThat(global.code()).isEqualTo(2);
    assertThat(global.err()).contains("changes the value for all traffic", "--yes");
    CliRunner.Result merchant =
        cli.run("enable", F, "--merchant", "m1", "--reason", "m1", "--max-scopes", "2");
    assertThat(merchant.code()).as(merchant.toString()).isEqualTo(2);
    assertThat(merchant.err()).contains("reaches 5 scopes, more than --max-scopes 2");
    assertThat(stats()).isEqualTo(before);
    assertThat(cli.run("enable", F, "--merchant", "m1", "--reason", "m1").code()).isZero();
    assertThat(cli.run("enable", F, "--reason", "everyone", "--yes").code()).isZero();
  }

  @Test
  void everyWriteNeedsAReason() {
    givenFeatureWithRows();
    Counts before = stats();
    for (String[] args :
        List.of(
            new String[] {"set", F, "true"},
            new String[] {"unset", F, "--product", "shop"},
            new String[] {"enable", F},
            new String[] {"disable", F},
            new String[] {"kill", F, "--yes"},
            new String[] {"unkill", F},
            new String[] {"define", F, "--owner", "x"},
            new String[] {"revert", "2"})) {
      CliRunner.Result r = cli.run(args[0], java.util.Arrays.copyOfRange(args, 1, args.length));
      assertThat(r.code()).as(r.toString()).isEqualTo(2);
      assertThat(r.err()).contains("every write needs --reason");
    }
    assertThat(stats()).isEqualTo(before);
  }

  @Test
  void revertUndoesOneChangeAndRefusesWhenTheRowChangedSince() {
    givenFeatureWithRows(); // revision 2 = enable shop, 3 = disable shop/DE
    assertThat(ok("revert", "3", "--reason", "undo DE", "--dry-run").out())
        .contains("would revert revision 3")
        .containsPattern("shop +\\* +DE +false +true");
    CliRunner.Result r = ok("revert", "3", "--reason", "undo DE");
    assertThat(r.out()).contains("Done: revision 4, unset " + F + " at {product=shop, country=DE}");
    assertThat(store().read(F).rows()).hasSize(1);

    ok("set", F, "false", "--product", "shop", "--reason", "later change");
    Counts before = stats();
    CliRunner.Result conflict = cli.run("revert", "2", "--reason", "undo step 1");
    assertThat(conflict.code()).isEqualTo(3);
    assertThat(conflict.err()).contains("cannot revert revision 2", "changed again at revision 5");
    assertThat(stats()).isEqualTo(before);

    CliRunner.Result history = ok("history", F, "--limit", "3");
    assertThat(history.out()).contains("unset (revert 3)").contains("later change");
  }

  @Test
  void exportThenImportReproducesTheStoreAndImportDryRunChangesNothing() throws Exception {
    givenFeatureWithRows();
    ok("define", "checkout.gateway", "--type", "string", "--default", "stripe", "--reason", "r");
    ok("set", "checkout.gateway", "adyen", "--country", "NL", "--reason", "r");
    Path file = home.resolve("export.json");
    assertThat(ok("export", "--output", file.toString()).out()).contains("Exported 2 features");
    JsonNode doc = json(Files.readString(file));
    assertThat(doc.get("format").asText()).isEqualTo("toggles-export");
    assertThat(doc.get("version").asInt()).isEqualTo(1);

    // Change the source, then import the export back: exactly the differences are listed.
    ok("set", "checkout.gateway", "mollie", "--country", "NL", "--reason", "drift");
    ok("set", "checkout.gateway", "klarna", "--country", "SE", "--reason", "extra row");
    Counts before = stats();
    CliRunner.Result dry = ok("import", file.toString(), "--prune", "--dry-run");
    assertThat(dry.out())
        .contains("would make 2 changes")
        .containsPattern("set +checkout.gateway +\\{country=NL\\} +mollie -> adyen")
        .containsPattern("unset +checkout.gateway +\\{country=SE\\}");
    assertThat(stats()).isEqualTo(before);

    CliRunner.Result real = ok("import", file.toString(), "--prune", "--reason", "restore");
    assertThat(real.out()).contains("2 changes");
    assertThat(json(ok("export").out()).get("features")).isEqualTo(doc.get("features"));
    assertThat(ok("import", file.toString(), "--reason", "again").out()).contains("Nothing to do");
  }

  @Test
  void jsonHistoryIsMachineReadable() {
    givenFeatureWithRows();
    JsonNode h = json(ok("history", "--json", "--limit", "2").out());
    assertThat(h).hasSize(2);
    assertThat(h.get(0).get("revision").asLong()).isEqualTo(3);
    assertThat(h.get(0).get("kind").asText()).isEqualTo("SET");
    assertThat(h.get(0).get("scope").get("country").asText()).isEqualTo("DE");
    assertThat(h.get(0).get("reason").asText()).isEqualTo("JIRA-42 not DE");
    JsonNode l = json(ok("list", F, "--json").out());
    assertThat(l.get("rows").get(0).get("version").asLong()).isEqualTo(3);
  }

  // ------------------------------------------------------------------ bad input changes nothing

  void assertFailsWritingNothing(int code, String message, String command, String... args) {
    Counts before = stats();
    CliRunner.Result r = cli.run(command, args);
    assertThat(r.code()).as(r.toString()).isEqualTo(code);
    assertThat(r.err()).as(r.toString()).contains(message);
    assertThat(r.err().lines().filter(l -> l.startsWith("\tat "))).as("no stack trace").isEmpty();
    assertThat(stats()).isEqualTo(before);
  }

  @Test
  void unknownFeatureFailsAndWritesNothing() {
    givenFeatureWithRows();
    assertFailsWritingNothing(
        1,
        "unknown feature 'no.such': declare it first",
        "set",
        "no.such",
        "true",
        "--reason",
        "r");
    assertFailsWritingNothing(
        1, "unknown feature 'no.such'", "kill", "no.such", "--reason", "r", "--yes");
    assertFailsWritingNothing(1, "unknown feature 'no.such'", "eval", "no.such");
  }

  @Test
  void valueOfTheWrongTypeFailsAndWritesNothing() {
    givenFeatureWithRows();
    assertFailsWritingNothing(
        1,
        "value 'maybe' does not fit feature '" + F + "' of type BOOLEAN: not a boolean",
        "set",
        F,
        "maybe",
        "--reason",
        "r");
    ok("define", "fees.rate", "--type", "decimal", "--default", "0.01", "--reason", "r");
    assertFailsWritingNothing(
        1,
        "is DECIMAL, not BOOLEAN: enable and disable are for on/off features",
        "enable",
        "fees.rate",
        "--reason",
        "r");
  }

  @Test
  void unknownScopeDimensionIsAUsageErrorAndWritesNothing() {
    givenFeatureWithRows();
    assertFailsWritingNothing(
        2,
        "unknown scope dimension 'region'; the hierarchy is product,merchant,country",
        "set",
        F,
        "true",
        "--scope",
        "region=eu",
        "--reason",
        "r");
  }

  @Test
  void malformedKeyIsAUsageErrorAndWritesNothing() {
    givenFeatureWithRows();
    assertFailsWritingNothing(
        2, "feature key 'bad key!' is malformed", "set", "bad key!", "true", "--reason", "r");
  }

  @Test
  void scopeValueTooLongForItsColumnIsAUsageErrorAndWritesNothing() {
    givenFeatureWithRows();
    assertFailsWritingNothing(
        2,
        "value of 'merchant' is 129 characters long; the limit is 128",
        "set",
        F,
        "true",
        "--merchant",
        "m".repeat(129),
        "--reason",
        "r");
  }

  @Test
  void missingSchemaFailsAndSaysToRunInit() {
    CliRunner.Result r = cli.run("set", F, "true", "--reason", "r");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("no toggles schema in", "run 'toggles init' first");
    assertThat(store().schemaStatus().present()).isFalse();
    CliRunner.Result status = cli.run("status");
    assertThat(status.code()).isEqualTo(1);
    assertThat(status.out()).contains("schema:     missing");
  }

  @Test
  void schemaTooNewFailsAndWritesNothing() throws Exception {
    givenFeatureWithRows();
    sql(
        "INSERT INTO toggles_schema_version (version, min_reader_version, applied_at)"
            + " VALUES (3, 3, CURRENT_TIMESTAMP)");
    assertFailsWritingNothing(
        1,
        "is version 3 and needs a reader of version 3 or later; this CLI supports 2",
        "set",
        F,
        "true",
        "--reason",
        "r");
    assertThat(cli.run("init").code()).isEqualTo(1);
  }

  @Test
  void staleExpectedVersionIsAConflictAndWritesNothing() {
    givenFeatureWithRows();
    ok("enable", F, "--product", "shop", "--reason", "someone else", "--expect-version", "2");
    assertFailsWritingNothing(
        3,
        "expected version 1: someone else changed it; nothing was written",
        "disable",
        F,
        "--product",
        "shop",
        "--reason",
        "me",
        "--expect-version",
        "1");
    assertFailsWritingNothing(
        3,
        "the write would conflict (dry run, nothing written)",
        "disable",
        F,
        "--product",
        "shop",
        "--expect-version",
        "1",
        "--dry-run");
  }

  @Test
  void unreachableDatabaseFailsWithinSecondsAndNeverPrintsThePassword() {
    cli = new CliRunner(home);
    cli.env.put("TOGGLES_DB_PASSWORD", "s3cret-pw");
    long start = System.nanoTime();
    CliRunner.Result r =
        cli.run(
            "set",
            F,
            "true",
            "--reason",
            "r",
            "--url",
            "jdbc:postgresql://127.0.0.1:1/toggles",
            "--user",
            "u");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("error: ", "unreachable");
    assertThat(r.out() + r.err()).doesNotContain("s3cret-pw");
    assertThat(took).isLessThan(Duration.ofSeconds(10));
  }

  // ------------------------------------------------------------------ the rollback drill

  @Test
  void rollbackDrillKillIsSeenEverywhereAndRevertRestoresTheScopedBehaviour() {
    ok("init");
    ok("define", F, "--type", "boolean", "--reason", "JIRA-42");
    ok("enable", F, "--product", "shop", "--reason", "JIRA-42 rollout to shop");
    Hierarchy h = Hierarchy.DEFAULT;
    Context shop = Context.of(h, "shop", "m1", "DE");
    Context shopOnly = Context.of(h, "shop", null, null);
    Context other = Context.of(h, "other", "m1", "DE");
    Duration bound = Duration.ofSeconds(5); // sync interval 100 ms; generous for a loaded CI box
    try (Toggles app = Toggles.builder(store()).syncInterval(Duration.ofMillis(100)).build()) {
      await(bound, "app sees the product rollout", () -> app.isEnabled(F, shop));
      assertThat(app.isEnabled(F, other)).isFalse();

      CliRunner.Result kill = ok("kill", F, "--reason", "INC-77 checkout errors", "--yes");
      long killRevision =
          Long.parseLong(kill.out().replaceAll("(?s).*revision (\\d+), kill.*", "$1"));
      await(
          bound,
          "kill seen everywhere",
          () -> !app.isEnabled(F, shop) && !app.isEnabled(F, shopOnly) && !app.isEnabled(F, other));
      assertThat(app.explain(F, shop).outcome().name()).isEqualTo("KILLED");

      ok("revert", Long.toString(killRevision), "--reason", "INC-77 resolved");
      await(bound, "scoped behaviour back", () -> app.isEnabled(F, shop));
      assertThat(app.isEnabled(F, shopOnly)).isTrue();
      assertThat(app.isEnabled(F, other)).isFalse();
    }
    String history = ok("history", F).out();
    assertThat(history)
        .containsPattern(
            "unkill \\(revert \\d+\\) +" + F.replace(".", "\\.") + " .*INC-77 resolved")
        .containsPattern("kill +" + F.replace(".", "\\.") + " .*INC-77 checkout errors")
        .contains("JIRA-42 rollout to shop");
  }

  static JsonNode json(String text) {
    try {
      return JsonOutput.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }
}
