package io.toggles.cli;

import io.toggles.Context;
import io.toggles.Hierarchy;
import io.toggles.Scope;
import io.toggles.Setting;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The tables of rows and contexts the CLI prints: one column per dimension, in precedence order.
 */
final class RowTables {
  private RowTables() {}

  /** What a wildcard (row) or an absent value (context) prints as. */
  static final String ANY = "*";

  /** Most specific (winning) first, then by scope values. */
  static final Comparator<Setting> PRECEDENCE =
      Comparator.comparingInt((Setting s) -> -s.scope().rank())
          .thenComparing(s -> s.scope().toString());

  static List<Setting> inPrecedenceOrder(List<Setting> rows) {
    List<Setting> sorted = new ArrayList<>(rows);
    sorted.sort(PRECEDENCE);
    return sorted;
  }

  /** One cell per dimension, {@code *} for a wildcard. */
  static List<String> cells(Hierarchy hierarchy, Scope scope) {
    List<String> cells = new ArrayList<>();
    for (int i = 0; i < hierarchy.size(); i++) {
      cells.add(scope.value(i).orElse(ANY));
    }
    return cells;
  }

  /** One cell per dimension, {@code *} for an absent value. */
  static List<String> cells(Hierarchy hierarchy, Context context) {
    List<String> cells = new ArrayList<>();
    for (int i = 0; i < hierarchy.size(); i++) {
      cells.add(context.value(i).orElse(ANY));
    }
    return cells;
  }

  /** Column headers for the dimensions and then {@code more}: PRODUCT, MERCHANT, COUNTRY, ... */
  static Table table(Hierarchy hierarchy, String... more) {
    List<String> headers = new ArrayList<>();
    hierarchy.dimensions().forEach(d -> headers.add(d.toUpperCase(Locale.ROOT)));
    headers.addAll(List.of(more));
    return new Table(headers);
  }

  /** Rows with their value and version, in the order given. */
  static Table rows(Hierarchy hierarchy, List<Setting> rows) {
    Table t = table(hierarchy, "VALUE", "VERSION");
    for (Setting s : rows) {
      List<String> cells = cells(hierarchy, s.scope());
      cells.add(s.value().text());
      cells.add(Long.toString(s.version()));
      t.row(cells);
    }
    return t;
  }
}
