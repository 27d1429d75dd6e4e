package io.toggles.cli;

import io.toggles.Expect;
import io.toggles.Hierarchy;
import io.toggles.Scope;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;

/**
 * What the writes of one row ({@code set}, {@code unset}, {@code enable}, {@code disable}) mix in
 * beside their FEATURE: the write session, the row's scope and what the write expects of the row.
 */
final class RowWrite {
  @Mixin WriteSession session;

  @Mixin ScopeOptions where;

  @Mixin ExpectOptions expectation;

  /**
   * The row to write, checked before anything connects.
   *
   * @param key the feature
   * @param scope the row's scope
   * @param expect what the write expects of the row
   */
  record Row(String key, Scope scope, Expect expect) {}

  /**
   * Checks the scope and the expectation of the row of {@code key}.
   *
   * @throws ParameterException for an unknown dimension, a bad value or conflicting expectations
   */
  Row check(String key) {
    Hierarchy h = session.conn.hierarchy();
    Scope scope = where.scope(h);
    return new Row(key, scope, expectation.expect());
  }
}
