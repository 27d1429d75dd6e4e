package io.toggles.cli;

import java.io.Console;
import java.util.Locale;
import java.util.Optional;

/** The person at the keyboard, if there is one: asked to confirm risky writes and for passwords. */
interface Terminal {

  /** Whether a person can answer (standard input and output are a terminal). */
  boolean interactive();

  /** Asks a yes/no question; only called when {@link #interactive()}. */
  boolean confirm(String question);

  /** Reads a password without echo; empty when there is no terminal. */
  Optional<char[]> readPassword(String prompt);

  /** The console of this process, via {@link System#console()}. */
  static Terminal system() {
    return new Terminal() {
      @Override
      public boolean interactive() {
        return System.console() != null;
      }

      @Override
      public boolean confirm(String question) {
        Console c = System.console();
        if (c == null) {
          return false;
        }
        String answer = c.readLine("%s [y/N] ", question);
        return answer != null && answer.trim().toLowerCase(Locale.ROOT).matches("y|yes");
      }

      @Override
      public Optional<char[]> readPassword(String prompt) {
        Console c = System.console();
        return c == null ? Optional.empty() : Optional.ofNullable(c.readPassword("%s", prompt));
      }
    };
  }

  /** No person: every confirmation must come from {@code --yes}. */
  static Terminal none() {
    return new Terminal() {
      @Override
      public boolean interactive() {
        return false;
      }

      @Override
      public boolean confirm(String question) {
        return false;
      }

      @Override
      public Optional<char[]> readPassword(String prompt) {
        return Optional.empty();
      }
    };
  }
}
