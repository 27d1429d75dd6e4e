package io.toggles.jdbc;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Where a store is, for people and snapshot files, computed without connecting (so that it is the
 * same whether the database is up or down): the JDBC URL without credentials or driver settings,
 * keeping only the parameters that pick a schema, then {@code #} and the table prefix. For a
 * caller's data source, the URL it reports through a {@code getJdbcUrl()}/{@code getUrl()}/{@code
 * getURL()} method (HikariCP and the H2, PostgreSQL and MariaDB data sources have one), else its
 * class name.
 */
final class Locator {
  private static final Set<String> SCHEMA_PARAMETERS =
      Set.of("currentschema", "schema", "searchpath", "search_path", "database");

  private Locator() {}

  static String of(@Nullable String url, @Nullable DataSource dataSource, String prefix) {
    String u = url != null ? url : dataSource == null ? null : urlOf(dataSource);
    String where =
        u != null
            ? withoutCredentials(u)
            : "datasource:" + (dataSource == null ? "unknown" : dataSource.getClass().getName());
    return where + "#" + prefix;
  }

  private static @Nullable String urlOf(DataSource dataSource) {
    for (String name : List.of("getJdbcUrl", "getUrl", "getURL")) {
      try {
        Method m = dataSource.getClass().getMethod(name);
        Object v = m.invoke(dataSource);
        if (v instanceof String s && s.startsWith("jdbc:")) {
          return s;
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        // not this data source's way of telling its URL
      }
    }
    return null;
  }

  /** The URL without user info, and with only the parameters that select a schema. */
  static String withoutCredentials(String url) {
    String rest = url.replaceAll("//[^/@?;]*@", "//");
    int cut = indexOfAny(rest, '?', ';');
    String base = cut < 0 ? rest : rest.substring(0, cut);
    if (cut < 0) {
      return base;
    }
    List<String> kept = new ArrayList<>();
    for (String part : rest.substring(cut + 1).split("[&;]")) {
      int eq = part.indexOf('=');
      String key = (eq < 0 ? part : part.substring(0, eq)).toLowerCase(Locale.ROOT);
      if (SCHEMA_PARAMETERS.contains(key)) {
        kept.add(part);
      }
    }
    return kept.isEmpty() ? base : base + "?" + String.join("&", kept);
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }
}
