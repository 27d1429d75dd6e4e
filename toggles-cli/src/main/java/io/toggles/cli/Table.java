package io.toggles.cli;

import java.util.ArrayList;
import java.util.List;

/** A text table with aligned columns, for people; scripts use {@code --json}. */
final class Table {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  Table(List<String> headers) {
    this.headers = List.copyOf(headers);
  }

  Table row(List<String> cells) {
    if (cells.size() != headers.size()) {
      throw new IllegalArgumentException("expected " + headers.size() + " cells: " + cells);
    }
    rows.add(cells.stream().map(Table::clean).toList());
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** Control characters in data would forge table lines; show them escaped. */
  private static String clean(String cell) {
    StringBuilder out = new StringBuilder(cell.length());
    for (int i = 0; i < cell.length(); i++) {
      char c = cell.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  void print(Output out, String indent) {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (List<String> r : rows) {
        widths[i] = Math.max(widths[i], r.get(i).length());
      }
    }
    line(out, indent, headers, widths);
    for (List<String> r : rows) {
      line(out, indent, r, widths);
    }
    out.flush();
  }

  private static void line(Output out, String indent, List<String> cells, int[] widths) {
    StringBuilder b = new StringBuilder(indent);
    for (int i = 0; i < cells.size(); i++) {
      b.append(cells.get(i));
      if (i < cells.size() - 1) {
        b.append(" ".repeat(widths[i] - cells.get(i).length() + 2));
      }
    }
    out.println(b.toString().stripTrailing());
  }
}
