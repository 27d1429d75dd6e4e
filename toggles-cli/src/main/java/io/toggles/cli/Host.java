package io.toggles.cli;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the CLI takes from the process that hosts it, beyond its arguments: the environment
 * variables, the home directory (for the default config file), standard input (for {@code
 * --password-stdin}), the terminal (for confirmations and prompts) and how to open a store.
 * Injected into the commands and option groups that need it by {@link HostFactory}, so that tests
 * drive the CLI in-process with a host of their own.
 */
record Host(
    Map<String, String> env, Path home, InputStream stdin, Terminal terminal, Connector connector) {

  Host {
    env = Map.copyOf(env);
  }

  /** The real environment, console and JDBC connector. */
  static Host system() {
    return new Host(
        System.getenv(),
        Path.of(System.getProperty("user.home")),
        System.in,
        Terminal.system(),
        new JdbcConnector());
  }
}
