package io.toggles.examples.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CheckoutApp#main} as its own process, the way the demo script runs it. */
class MainProcessTest {
  @TempDir Path dir;

  private Process launch(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CheckoutApp.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile()).start();
  }

  private String stderr() throws Exception {
    return Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8);
  }

  @Test
  void printsListeningPortFirstServesAndStopsCleanlyOnSigterm() throws Exception {
    Process p = launch("--port", "0", "--db", dir.resolve("db").toString());
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      assertThat(first).as(stderr()).matches("LISTENING port=\\d+");
      int port = Integer.parseInt(first.substring("LISTENING port=".length()));

      Service.Reply health = new Service(URI.create("http://127.0.0.1:" + port)).get("/health");
      assertThat(health.body().path("status").asText()).isEqualTo("READY");

      p.destroy(); // SIGTERM
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
      assertThat(p.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hook ran
      assertThat(stderr()).contains("CheckoutApp - stopped");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void badCommandLineExitsTwoWithUsage() throws Exception {
    Process p = launch("--port", "http");
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(stderr())
        .contains("--port must be 0 to 65535, got 'http'")
        .contains("Usage: java -jar checkout-example.jar");
  }

  @Test
  void optionsParseWithDefaultsAndRefuseUnknownOnes() {
    assertThat(CheckoutApp.Options.parse())
        .isEqualTo(new CheckoutApp.Options(8080, Path.of("checkout-db"), false));
    assertThat(CheckoutApp.Options.parse("--db", "/tmp/x", "--port", "0"))
        .isEqualTo(new CheckoutApp.Options(0, Path.of("/tmp/x"), false));
    assertThat(CheckoutApp.Options.parse("--help").help()).isTrue();
    assertThatThrownBy(() -> CheckoutApp.Options.parse("--verbose"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown option '--verbose'");
    assertThatThrownBy(() -> CheckoutApp.Options.parse("--db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--db needs a value");
  }
}
