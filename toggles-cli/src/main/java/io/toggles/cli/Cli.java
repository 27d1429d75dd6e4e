package io.toggles.cli;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command needs from the world outside its arguments, injected so that tests drive the CLI
 * in-process: the environment, the home directory (for the default config file), standard input
 * (for {@code --password-stdin}), the terminal (for confirmations and prompts) and how to open a
 * store.
 */
record Cli(
    Map<String, String> env, Path home, InputStream stdin, Terminal terminal, Connector connector) {

  Cli {
    env = Map.copyOf(env);
  }

  /** The real environment, console and JDBC connector. */
  static Cli system() {
    return new Cli(
        System.getenv(),
        Path.of(System.getProperty("user.home")),
        System.in,
        Terminal.system(),
        new JdbcConnector());
  }
}
