package io.toggles.jdbc;

import java.util.Objects;
import java.util.Optional;

/**
 * A declaration or settings row in the tables that the store cannot read (edited by hand), as
 * {@link JdbcStore#unreadable()} lists it for {@code toggles status}: where it is, what is wrong,
 * and how to fix it.
 *
 * <p>A row that cannot be read was never served (nodes skip it), so deleting it changes nothing a
 * node answers. A declaration that cannot be read makes its feature answer the callers' defaults (a
 * killed boolean still answers {@code false}); declare it again through the API ({@code toggles
 * define}) so that every node sees the fix through the change log. An SQL fix of a declaration
 * reaches nodes only when they next load everything.
 *
 * @param table the table, with its prefix
 * @param feature the feature key as stored
 * @param scope the row's scope as stored ({@code {product='p2', merchant=*, country=*}}), empty for
 *     a declaration
 * @param problem what is wrong
 * @param sql an SQL statement that fixes it, if one can without guessing (the values in it are
 *     literals: review it before running it)
 * @param advice what to do, in a sentence
 */
public record Unreadable(
    String table,
    String feature,
    String scope,
    String problem,
    Optional<String> sql,
    String advice) {

  /** Checks that no part is null. */
  public Unreadable {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(feature, "feature");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(problem, "problem");
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(advice, "advice");
  }
}
