package io.toggles.bench.store;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code --name value} arguments of the store benchmarks' main classes. */
final class Args {
  private Args() {}

  /**
   * The arguments by name, in order.
   *
   * @throws IllegalArgumentException if an argument does not start with {@code --}
   */
  static Map<String, String> parse(String[] argv) {
    Map<String, String> args = new LinkedHashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      if (!argv[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got " + argv[i]);
      }
      args.put(argv[i].substring(2), argv[i + 1]);
    }
    return args;
  }
}
