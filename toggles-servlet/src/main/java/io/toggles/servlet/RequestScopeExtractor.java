package io.toggles.servlet;

import io.toggles.Context;
import io.toggles.Hierarchy;
import io.toggles.Scope;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link ContextExtractor}: for each dimension of the hierarchy it reads
 *
 * <ol>
 *   <li>the request header {@code X-Toggles-<Dimension>}, see {@link #headerName(String)}: {@code
 *       X-Toggles-Product}, {@code X-Toggles-Merchant}, {@code X-Toggles-Country} for the default
 *       hierarchy, {@code X-Toggles-Sales-Channel} for a dimension {@code sales_channel}; header
 *       names are case-insensitive;
 *   <li>then the query parameter named exactly like the dimension ({@code ?merchant=m1}). Only the
 *       URL's query string is read, never a form-encoded body, so the filter does not consume the
 *       body the application reads.
 * </ol>
 *
 * <p>The first source (in the configured order) that carries the dimension decides; a dimension
 * that no source carries is absent from the context. A value is checked with {@link
 * Scope#requireValidValue}: 1 to {@value Scope#MAX_VALUE_LENGTH} characters, no control characters,
 * no surrounding whitespace. A source that carries the dimension more than once is also invalid. An
 * invalid value is, by configuration, either {@linkplain OnInvalid#DROP dropped} (the dimension is
 * absent, one WARN line names the dimension and shows the value escaped and cut short) or
 * {@linkplain OnInvalid#REJECT rejected} (the request is answered 400). Either way the value never
 * reaches a check.
 *
 * <p>Immutable and thread-safe.
 */
public final class RequestScopeExtractor implements ContextExtractor {
  private static final Logger LOG = LoggerFactory.getLogger(RequestScopeExtractor.class);

  /** Header names start with this prefix. */
  public static final String HEADER_PREFIX = "X-Toggles-";

  /** Where a dimension's value may come from. */
  public enum Source {
    /** The request header {@link #headerName(String)}. */
    HEADER,
    /** The query-string parameter named like the dimension. */
    PARAMETER
  }

  /** What to do with a malformed value. */
  public enum OnInvalid {
    /** Leave the dimension absent and log a WARN line; the request goes on. */
    DROP,
    /** Answer the request with status 400; the rest of the chain does not run. */
    REJECT
  }

  private final Hierarchy hierarchy;
  private final List<Source> sources;
  private final OnInvalid onInvalid;
  private final String[] headerNames;

  private RequestScopeExtractor(Builder b) {
    this.hierarchy = b.hierarchy;
    this.sources = List.copyOf(b.sources);
    this.onInvalid = b.onInvalid;
    this.headerNames = new String[hierarchy.size()];
    for (int i = 0; i < headerNames.length; i++) {
      headerNames[i] = headerName(hierarchy.dimension(i));
    }
  }

  /**
   * An extractor of {@code hierarchy} with the defaults: headers, then query parameters, dropping
   * invalid values.
   */
  public static RequestScopeExtractor of(Hierarchy hierarchy) {
    return builder(hierarchy).build();
  }

  /** A builder for an extractor of {@code hierarchy}. */
  public static Builder builder(Hierarchy hierarchy) {
    return new Builder(hierarchy);
  }

  /**
   * The header that carries {@code dimension}: {@value #HEADER_PREFIX} followed by the dimension
   * with each {@code _}-separated part capitalised and joined by {@code -} ({@code sales_channel}
   * becomes {@code X-Toggles-Sales-Channel}; underscores are avoided because many proxies drop
   * headers that contain them).
   */
  public static String headerName(String dimension) {
    StringBuilder out = new StringBuilder(HEADER_PREFIX);
    boolean upper = true;
    for (int i = 0; i < dimension.length(); i++) {
      char c = dimension.charAt(i);
      if (c == '_') {
        out.append('-');
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  /** The hierarchy of the contexts this extractor builds. */
  public Hierarchy hierarchy() {
    return hierarchy;
  }

  /**
   * {@inheritDoc}
   *
   * @throws ScopeRejectedException with {@link OnInvalid#REJECT}, for the first invalid value
   */
  @Override
  public Context extract(HttpServletRequest request) {
    @Nullable String[] values = new String[hierarchy.size()];
    for (int i = 0; i < values.length; i++) {
      String dimension = hierarchy.dimension(i);
      for (Source source : sources) {
        List<@Nullable String> found = read(request, source, i);
        if (found.isEmpty()) {
          continue;
        }
        values[i] = validate(dimension, source, i, found);
        break;
      }
    }
    return Context.of(hierarchy, values);
  }

  private List<@Nullable String> read(HttpServletRequest request, Source source, int index) {
    switch (source) {
      case HEADER:
        Enumeration<String> headers = request.getHeaders(headerNames[index]);
        if (headers == null || !headers.hasMoreElements()) {
          return List.of();
        }
        return new ArrayList<>(Collections.list(headers));
      case PARAMETER:
        return QueryString.values(request.getQueryString(), hierarchy.dimension(index));
    }
    throw new AssertionError(source);
  }

  private @Nullable String validate(
      String dimension, Source source, int index, List<@Nullable String> found) {
    String where =
        source == Source.HEADER
            ? "header " + headerNames[index]
            : "query parameter '" + dimension + "'";
    String problem;
    String value = found.get(0);
    if (found.size() > 1) {
      problem = "scope value of '" + dimension + "' appears " + found.size() + " times in " + where;
    } else if (value == null) {
      problem =
          "scope value of '" + dimension + "' in " + where + " is not valid URL-encoded UTF-8";
    } else {
      try {
        return Scope.requireValidValue(dimension, value);
      } catch (IllegalArgumentException e) {
        problem = "scope " + e.getMessage() + " (" + where + ")";
      }
    }
    if (onInvalid == OnInvalid.REJECT) {
      throw new ScopeRejectedException(dimension, LogText.escape(problem, 300));
    }
    LOG.warn(
        "toggles: dropped an invalid scope value, the request goes on without '{}': {}; value: '{}'",
        dimension,
        LogText.escape(problem, 300),
        value == null ? "(undecodable)" : LogText.escape(value, 60));
    return null;
  }

  /** Configures a {@link RequestScopeExtractor}. Not thread-safe. */
  public static final class Builder {
    private final Hierarchy hierarchy;
    private List<Source> sources = List.of(Source.HEADER, Source.PARAMETER);
    private OnInvalid onInvalid = OnInvalid.DROP;

    private Builder(Hierarchy hierarchy) {
      if (hierarchy == null) {
        throw new NullPointerException("hierarchy");
      }
      this.hierarchy = hierarchy;
    }

    /**
     * The sources to read, in the order they are tried; default {@code HEADER, PARAMETER}.
     *
     * @throws IllegalArgumentException if none is given or one is given twice
     */
    public Builder sources(Source... sources) {
      Set<Source> set = new LinkedHashSet<>(List.of(sources));
      if (set.isEmpty()) {
        throw new IllegalArgumentException("name at least one source of scope values");
      }
      if (set.size() != sources.length) {
        throw new IllegalArgumentException(
            "a source of scope values is named twice: " + List.of(sources));
      }
      this.sources = List.copyOf(set);
      return this;
    }

    /** What to do with an invalid value; default {@link OnInvalid#DROP}. */
    public Builder onInvalid(OnInvalid onInvalid) {
      if (onInvalid == null) {
        throw new NullPointerException("onInvalid");
      }
      this.onInvalid = onInvalid;
      return this;
    }

    /** The extractor. */
    public RequestScopeExtractor build() {
      return new RequestScopeExtractor(this);
    }
  }

  @Override
  public String toString() {
    return "RequestScopeExtractor"
        + hierarchy.dimensions()
        + " from "
        + sources.toString().toLowerCase(Locale.ROOT)
        + ", "
        + onInvalid.name().toLowerCase(Locale.ROOT)
        + " invalid values";
  }
}
