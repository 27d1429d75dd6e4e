package io.toggles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stored text that would drive a terminal (ESC sequences that clear the screen or set the window
 * title, BEL, the C1 CSI, U+202E and U+2066 that reverse text, a newline that forges a line) is
 * printed escaped by every command, errors included; a 64 KB value does not make lines 65,000
 * columns wide unless --full asks for it. On H2: escaping happens after the store has answered.
 */
class OutputSafetyTest {
  static final String HOSTILE =
      "\u001b[2J\u001b]0;pwned\u0007\u202eevil\u009b31m\u2066x\nforged: line";
  static final String SHOWN =
      "\\u001b[2J\\u001b]0;pwned\\u0007\\u202eevil\\u009b31m\\u2066x\\u000aforged: line";
  static final String SCOPE = "shop\u202e";
  static final String BIG = "0123456789".repeat(6_553) + "01234"; // 65,535: BIG + "!" fits

  @TempDir Path home;
  CliRunner cli;

  @BeforeEach
  void setUp() {
    String url =
        "jdbc:h2:mem:safe" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
    cli = new CliRunner(home).always("--url", url);
    ok("init");
  }

  private CliRunner.Result ok(String command, String... args) {
    CliRunner.Result r = cli.run(command, args);
    assertThat(r.code()).as(r.toString()).isZero();
    return r;
  }

  /** No terminal control, bidi or line-forging character reaches stdout or stderr. */
  private static CliRunner.Result assertSafe(CliRunner.Result r) {
    String all = r.out() + r.err();
    for (char c : new char[] {'\u001b', '\u0007', '\u202e', '\u009b', '\u2066', '\r'}) {
      assertThat(all.indexOf(c)).as("U+%04X in %s", (int) c, r).isEqualTo(-1);
    }
    assertThat(all.lines()).as(r.toString()).noneMatch(l -> l.startsWith("forged"));
    return r;
  }

  /** Declares motd with hostile text in every field the declaration and its audit hold. */
  private CliRunner.Result defineHostile() {
    return ok(
        "define",
        "motd",
        "--type",
        "string",
        "--default",
        HOSTILE,
        "--owner",
        HOSTILE,
        "--description",
        HOSTILE,
        "--reason",
        HOSTILE,
        "--actor",
        HOSTILE);
  }

  private void givenHostileFeature() {
    defineHostile();
    ok("set", "motd", HOSTILE, "--scope", "product=" + SCOPE, "--reason", HOSTILE);
  }

  @Test
  void everyCommandPrintsStoredTextEscaped() throws Exception {
    List<CliRunner.Result> results = new ArrayList<>();
    CliRunner.Result define = defineHostile();
    assertThat(define.out())
        .contains("Done: revision 1, define motd: declared, default (none) -> " + SHOWN);
    results.add(define);
    CliRunner.Result set =
        ok("set", "motd", HOSTILE + "~", "--scope", "product=" + SCOPE, "--reason", HOSTILE);
    assertThat(set.out()).contains("at {product=shop\\u202e}: (none) -> " + SHOWN + "~");
    results.add(set);
    CliRunner.Result dry =
        ok("set", "motd", HOSTILE + "2", "--product", SCOPE, "--merchant", "m1", "--dry-run");
    assertThat(dry.out()).contains("Dry run, nothing written: would set motd at ").contains(SHOWN);
    results.add(dry);
    results.add(ok("define", "motd", "--owner", HOSTILE + "!", "--dry-run"));
    CliRunner.Result eval = ok("eval", "motd", "--product", SCOPE);
    assertThat(eval.out()).contains("motd for {product=shop\\u202e} = " + SHOWN + "~");
    results.add(eval);
    CliRunner.Result explain = ok("eval", "motd", "--product", "other", "--explain");
    assertThat(explain.out()).contains("excluded: {product=shop\\u202e} = " + SHOWN);
    results.add(explain);
    CliRunner.Result list = ok("list", "motd");
    assertThat(list.out()).contains("STRING, default " + SHOWN).contains(SHOWN + "~  2");
    results.add(list);
    CliRunner.Result history = ok("history");
    assertThat(history.out()).contains(SHOWN);
    results.add(history);
    CliRunner.Result features = ok("features");
    assertThat(features.out()).contains(SHOWN);
    results.add(features);
    CliRunner.Result kill = ok("kill", "motd", "--reason", HOSTILE, "--yes");
    assertThat(kill.out())
        .contains("kill switch on")
        .containsPattern("shop\\\\u202e +\\* +\\* +\\\\u001b.*~ +\\\\u001b");
    results.add(kill);
    CliRunner.Result revert = ok("revert", "3", "--reason", HOSTILE);
    assertThat(revert.out()).contains("Done: revision 4, unkill motd").contains(SHOWN);
    results.add(revert);
    results.add(ok("revert", "2", "--reason", "undo the row", "--dry-run"));
    for (String[] json :
        List.of(
            new String[] {"eval", "motd", "--product", SCOPE, "--json"},
            new String[] {"list", "motd", "--json"},
            new String[] {"history", "--json"},
            new String[] {"features", "--json"},
            new String[] {"export"})) {
      CliRunner.Result r = ok(json[0], java.util.Arrays.copyOfRange(json, 1, json.length));
      assertThat(r.out()).contains("\\u001B[2J\\u001B]0;pwned\\u0007\\u202Eevil\\u009B31m");
      assertThat(AbstractCliTest.json(r.out()).toString()).isNotEmpty(); // still JSON
      results.add(r);
    }
    Path file = home.resolve("export.json");
    ok("export", "--output", file.toString());
    ok("set", "motd", "drift", "--product", SCOPE, "--reason", "drift");
    CliRunner.Result importDry = ok("import", file.toString(), "--dry-run");
    assertThat(importDry.out()).contains("drift -> " + SHOWN);
    results.add(importDry);
    results.forEach(OutputSafetyTest::assertSafe);
  }

  @Test
  void exportedHostileTextImportsBackExactly() throws Exception {
    givenHostileFeature();
    Path file = home.resolve("export.json");
    ok("export", "--output", file.toString());
    ok("set", "motd", "drift", "--product", SCOPE, "--reason", "drift");
    ok("import", file.toString(), "--reason", "restore");
    assertThat(
            AbstractCliTest.json(ok("list", "motd", "--json").out())
                .get("rows")
                .get(0)
                .get("value")
                .asText())
        .isEqualTo(HOSTILE);
  }

  @Test
  void errorsAndTheirStackTracesAreEscaped() {
    givenHostileFeature();
    ok("define", "n", "--type", "long", "--reason", "r");
    CliRunner.Result noRow = cli.run("unset", "motd", "--product", "other\u202e", "--reason", "r");
    assertThat(noRow.code()).isEqualTo(1);
    assertThat(noRow.err()).contains("has no row at {product=other\\u202e}");
    CliRunner.Result wrongType = cli.run("set", "n", HOSTILE, "--reason", "r", "--verbose");
    assertThat(wrongType.code()).isEqualTo(1);
    assertThat(wrongType.err()).contains("value '" + SHOWN + "' does not fit feature 'n'");
    assertThat(wrongType.err()).contains("\tat io.toggles."); // the stack trace is there, escaped
    CliRunner.Result usage = cli.run("eval", "motd", "--scope", "product=\u202ex\u001b[2J");
    assertThat(usage.code()).isEqualTo(2);
    List.of(noRow, wrongType, usage).forEach(OutputSafetyTest::assertSafe);
  }

  @Test
  void theConfirmationQuestionIsEscaped() {
    givenHostileFeature();
    List<String> asked = new ArrayList<>();
    cli.terminal = CliRunner.answering(false, asked);
    CliRunner.Result r = cli.run("set", "motd", HOSTILE + "2", "--reason", "everyone");
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(asked).singleElement().asString().contains(SHOWN).doesNotContain("\u001b", "\u202e");
    assertSafe(r);
  }

  @Test
  void aLongValueIsCutInLinesAndCellsAndShownWholeWithFull() {
    ok(
        "define",
        "big",
        "--type",
        "string",
        "--default",
        BIG,
        "--description",
        BIG.substring(0, 1_000),
        "--reason",
        BIG.substring(0, 1_000));
    List<CliRunner.Result> cut = new ArrayList<>();
    cut.add(ok("set", "big", BIG + "!", "--product", "p", "--reason", BIG.substring(0, 1_000)));
    cut.add(ok("set", "big", BIG + "?", "--product", "p", "--dry-run"));
    cut.add(ok("list", "big"));
    cut.add(ok("eval", "big", "--product", "p", "--explain"));
    cut.add(ok("eval", "big", "--product", "q", "--explain"));
    cut.add(ok("history"));
    cut.add(ok("features"));
    cut.add(ok("revert", "2", "--reason", "undo", "--dry-run"));
    cut.add(ok("kill", "big", "--reason", "r", "--yes"));
    for (CliRunner.Result r : cut) {
      assertThat(r.out().lines().mapToInt(String::length).max().orElse(0))
          .as(r.toString().substring(0, Math.min(2_000, r.toString().length())))
          .isLessThan(500);
      assertThat(r.out()).containsPattern("\\.\\.\\. \\(6553[56] chars\\)").doesNotContain(BIG);
    }
    assertThat(ok("list", "big").out())
        .contains("(cells cut at 100 characters; --full shows whole values)");
    assertThat(ok("list", "big", "--full").out()).contains(BIG + "!");
    assertThat(ok("eval", "big", "--product", "p", "--full").out()).contains(BIG + "!");
    assertThat(ok("history", "--full").out()).contains(BIG + "!");
    assertThat(ok("features", "--full").out()).contains(BIG);
    assertThat(ok("set", "big", BIG + "?", "--product", "p", "--dry-run", "--full").out())
        .contains(BIG + "?");
    assertThat(ok("list", "big", "--json").out()).contains(BIG + "!");
  }
}
