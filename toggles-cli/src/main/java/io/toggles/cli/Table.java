package io.toggles.cli;

import io.toggles.internal.DisplayText;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A text table with aligned columns, for people; scripts use {@code --json}. Cells are escaped and
 * cut at the output's width when printed; a line under the table says when something was cut.
 */
final class Table {
  private final List<String> headers;
  private final Set<Integer> composed = new HashSet<>();
  private final List<List<String>> rows = new ArrayList<>();

  Table(List<String> headers) {
    this.headers = List.copyOf(headers);
  }

  /**
   * Marks a column whose cells the caller composes of values it already cut (such as "old -> new"
   * from {@link Output#change}): they are escaped but not cut again, so that each marker gives the
   * length of its own value.
   */
  Table composed(String header) {
    int i = headers.indexOf(header);
    if (i < 0) {
      throw new IllegalArgumentException("no column " + header + " in " + headers);
    }
    composed.add(i);
    return this;
  }

  /** Adds a row of whole, unescaped cells. */
  Table row(List<String> cells) {
    if (cells.size() != headers.size()) {
      throw new IllegalArgumentException("expected " + headers.size() + " cells: " + cells);
    }
    rows.add(List.copyOf(cells));
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(Output out, String indent) {
    boolean cut = false;
    List<List<String>> shown = new ArrayList<>();
    for (List<String> r : rows) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        String whole = DisplayText.escape(r.get(i));
        boolean tooLong = !composed.contains(i) && whole.length() > out.width();
        cut |= tooLong;
        cells.add(tooLong ? DisplayText.escape(r.get(i), out.width()) : whole);
      }
      shown.add(cells);
    }
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (List<String> r : shown) {
        widths[i] = Math.max(widths[i], r.get(i).length());
      }
    }
    line(out, indent, headers, widths);
    for (List<String> r : shown) {
      line(out, indent, r, widths);
    }
    if (cut) {
      out.println(
          indent + "(cells cut at " + out.width() + " characters; --full shows whole values)");
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
