package io.toggles.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/** Runs the CLI in-process, as a user would, capturing what it prints. */
final class CliRunner {
  final Map<String, String> env = new HashMap<>();
  final Path home;
  String stdin = "";
  Terminal terminal = Terminal.none();
  private final List<String> prefix = new ArrayList<>();

  CliRunner(Path home) {
    this.home = home;
  }

  /** Arguments put after the subcommand of every run (e.g. --url). */
  CliRunner always(String... args) {
    prefix.addAll(List.of(args));
    return this;
  }

  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
    }
  }

  /** Runs {@code toggles <command> <always...> <args...>}. */
  Result run(String command, String... args) {
    List<String> all = new ArrayList<>();
    all.add(command);
    all.addAll(prefix);
    all.addAll(List.of(args));
    return raw(all.toArray(String[]::new));
  }

  /** Runs exactly these arguments. */
  Result raw(String... args) {
    Host host =
        new Host(
            env,
            home,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            terminal,
            new JdbcConnector());
    CommandLine cl = TogglesCommand.commandLine(host);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /** A terminal whose person answers every question with {@code answer}. */
  static Terminal answering(boolean answer, List<String> questions) {
    return new Terminal() {
      @Override
      public boolean interactive() {
        return true;
      }

      @Override
      public boolean confirm(String question) {
        questions.add(question);
        return answer;
      }

      @Override
      public Optional<char[]> readPassword(String prompt) {
        return Optional.empty();
      }
    };
  }
}
