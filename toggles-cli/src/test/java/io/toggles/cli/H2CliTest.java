package io.toggles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The CLI on an in-memory H2 database of its own per test. */
class H2CliTest extends AbstractCliTest {

  @Override
  String newDatabaseUrl() {
    return "jdbc:h2:mem:cli" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
  }

  @Test
  void passwordComesFromStandardInputOrTheEnvironmentAndIsNeverPrinted() {
    String db =
        "jdbc:h2:mem:pw" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
    cli = new CliRunner(home).always("--url", db, "--user", "admin");
    cli.stdin = "s3cret-pw\n";
    CliRunner.Result init = cli.run("init", "--password-stdin");
    assertThat(init.code()).as(init.toString()).isZero();

    cli.stdin = "";
    cli.env.put("TOGGLES_DB_PASSWORD", "s3cret-pw");
    CliRunner.Result right = cli.run("status");
    assertThat(right.code()).as(right.toString()).isZero();

    // Last: H2 slows down every login after a wrong password.
    cli.env.remove("TOGGLES_DB_PASSWORD");
    CliRunner.Result wrong = cli.run("status");
    assertThat(wrong.code()).isEqualTo(1);
    assertThat(wrong.out()).contains("reachable:  no");
    assertThat(right.out() + right.err() + init.out() + wrong.out() + wrong.err())
        .doesNotContain("s3cret-pw");
  }
}
