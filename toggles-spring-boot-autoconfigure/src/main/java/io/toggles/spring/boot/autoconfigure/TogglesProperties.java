package io.toggles.spring.boot.autoconfigure;

import io.toggles.Hierarchy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code toggles.*} configuration properties. Durations take Spring's forms ({@code 250ms},
 * {@code 1s}, {@code PT1S}).
 *
 * @param enabled Whether to auto-configure toggles at all.
 * @param hierarchy The scope dimensions, most significant first (one column each in the settings
 *     table); ignored when the application defines its own ToggleStore.
 * @param preload Whether to load every feature at start (else each on its first check).
 * @param syncInterval How often each node polls the store's revision; 0 turns background sync off.
 * @param startWait The longest start-up waits for the first load before going on in the background.
 * @param missWait How long a check of a feature not yet cached waits for its load.
 * @param staleAfter After how long without a successful sync health says STALE; default three sync
 *     intervals, at least 5 seconds.
 * @param errorAfter After how long without a successful sync health says ERROR (DOWN), whether
 *     syncs fail or hang; longer than stale-after; default four stale thresholds, at least 1
 *     minute.
 * @param snapshotFile A last-known-good snapshot file, served when the store is down at start.
 * @param failOnMissingSchema Whether start-up fails when the database has no toggles schema (and
 *     create-schema is off); false starts without it: checks answer defaults and health is DOWN
 *     until the schema exists.
 * @param jdbc The JDBC store.
 * @param web The servlet filter.
 * @param admin The admin servlet.
 * @param actuator The Actuator endpoint.
 * @param health The health indicator.
 * @param metrics The Micrometer meters.
 */
@ConfigurationProperties("toggles")
public record TogglesProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue({"product", "merchant", "country"}) List<String> hierarchy,
    @DefaultValue("true") boolean preload,
    @DefaultValue("1s") Duration syncInterval,
    @DefaultValue("3s") Duration startWait,
    @DefaultValue("25ms") Duration missWait,
    @Nullable Duration staleAfter,
    @Nullable Duration errorAfter,
    @Nullable Path snapshotFile,
    @DefaultValue("true") boolean failOnMissingSchema,
    @DefaultValue Jdbc jdbc,
    @DefaultValue Web web,
    @DefaultValue Admin admin,
    @DefaultValue Actuator actuator,
    @DefaultValue HealthProperties health,
    @DefaultValue Metrics metrics) {

  /**
   * Validates the hierarchy and the durations, so that a bad value fails start-up naming the
   * property.
   *
   * @throws IllegalArgumentException naming the property and what is wrong
   */
  public TogglesProperties {
    hierarchy = List.copyOf(hierarchy);
    try {
      Hierarchy.of(hierarchy.toArray(String[]::new));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("toggles.hierarchy: " + e.getMessage());
    }
    requireNotNegative("toggles.sync-interval", syncInterval);
    requireNotNegative("toggles.start-wait", startWait);
    requireNotNegative("toggles.miss-wait", missWait);
    requirePositive("toggles.stale-after", staleAfter);
    requirePositive("toggles.error-after", errorAfter);
    if (staleAfter != null && errorAfter != null && errorAfter.compareTo(staleAfter) <= 0) {
      throw new IllegalArgumentException(
          "toggles.error-after ("
              + errorAfter
              + ") must be longer than toggles.stale-after ("
              + staleAfter
              + ")");
    }
  }

  private static void requireNotNegative(String name, Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " is negative: " + d);
    }
  }

  private static void requirePositive(String name, @Nullable Duration d) {
    if (d != null && (d.isNegative() || d.isZero())) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  /** The hierarchy these properties name. */
  public Hierarchy toHierarchy() {
    return Hierarchy.of(hierarchy.toArray(String[]::new));
  }

  /**
   * {@code toggles.jdbc.*}: where the store is. By default the application's own DataSource.
   *
   * @param url A JDBC URL of a separate toggles database, with its own small pool; when unset the
   *     store uses the application's DataSource.
   * @param username The user for url.
   * @param password The password for url; never logged.
   * @param tablePrefix The prefix of the toggles tables.
   * @param createSchema Whether this application may create the toggles schema (DDL) when it is
   *     missing; off by default: run `toggles init` or have a DBA apply `toggles schema --print`.
   * @param connectionTimeout How long a call waits for a connection of the pool made for url.
   */
  public record Jdbc(
      @Nullable String url,
      @Nullable String username,
      @Nullable String password,
      @DefaultValue("toggles_") String tablePrefix,
      @DefaultValue("false") boolean createSchema,
      @DefaultValue("5s") Duration connectionTimeout) {

    /** Hides the password. */
    @Override
    public String toString() {
      return "Jdbc[url="
          + url
          + ", username="
          + username
          + ", password="
          + (password == null ? "null" : "(hidden)")
          + ", tablePrefix="
          + tablePrefix
          + ", createSchema="
          + createSchema
          + ", connectionTimeout="
          + connectionTimeout
          + "]";
    }
  }

  /**
   * {@code toggles.web.*}: the filter that binds each request's context for {@code
   * RequestContext.current()}.
   *
   * @param filterEnabled Whether to register the TogglesFilter in a servlet application.
   * @param filterOrder The filter's order; the default runs it after Spring Security's filter chain
   *     (-100), so that a custom ContextExtractor can read the principal.
   * @param urlPatterns The URL patterns the filter applies to.
   * @param rejectInvalid Whether a malformed scope value in a header or parameter answers 400 (else
   *     the dimension is left absent with a WARN line).
   */
  public record Web(
      @DefaultValue("true") boolean filterEnabled,
      @DefaultValue("0") int filterOrder,
      @DefaultValue("/*") List<String> urlPatterns,
      @DefaultValue("false") boolean rejectInvalid) {

    /** Copies the patterns. */
    public Web {
      urlPatterns = List.copyOf(urlPatterns);
    }
  }

  /**
   * {@code toggles.admin.*}: the JSON admin servlet of toggles-servlet.
   *
   * @param enabled Whether to register the admin servlet at all.
   * @param path Where to mount it.
   * @param allowWrites Whether it serves writes; each also needs the authority.
   * @param authority The authority (Spring Security) or role (servlet container, without Spring
   *     Security) a caller needs to write.
   * @param allowedOrigins Origins (scheme://host[:port]) from which browser writes are accepted.
   * @param serverName The host name browsers reach the admin servlet at, for the origin check of
   *     writes (the request's Host header is not trusted); without it or allowed-origins, a write
   *     that carries an Origin header is refused.
   */
  public record Admin(
      @DefaultValue("false") boolean enabled,
      @DefaultValue("/admin/toggles") String path,
      @DefaultValue("false") boolean allowWrites,
      @DefaultValue("TOGGLES_ADMIN") String authority,
      @DefaultValue List<String> allowedOrigins,
      @Nullable String serverName) {

    /**
     * Validates the path.
     *
     * @throws IllegalArgumentException if the path does not start with '/' or holds a wildcard
     */
    public Admin {
      if (!path.startsWith("/") || path.contains("*") || path.endsWith("/")) {
        throw new IllegalArgumentException(
            "toggles.admin.path must start with '/', not end with '/' and hold no '*': " + path);
      }
      allowedOrigins = List.copyOf(allowedOrigins);
    }
  }

  /**
   * {@code toggles.actuator.*}: the {@code toggles} Actuator endpoint.
   *
   * @param writes Whether the endpoint's write operations are served; each also needs the authority
   *     and a reason.
   * @param authority The authority (Spring Security) or role (without it) a caller needs to write.
   */
  public record Actuator(
      @DefaultValue("false") boolean writes, @DefaultValue("TOGGLES_ADMIN") String authority) {}

  /**
   * {@code toggles.health.*}: the {@code toggles} health indicator.
   *
   * @param staleStatus What a STALE node reports (it serves the last known values): UP, or
   *     OUT_OF_SERVICE to take it out of a load balancer's rotation.
   */
  public record HealthProperties(@DefaultValue("UP") StaleStatus staleStatus) {}

  /**
   * {@code toggles.metrics.*}: the Micrometer meters.
   *
   * @param evaluations Whether the toggles count checks per feature and outcome for the
   *     toggles.evaluations meter (Toggles.Builder.countEvaluations); each check then also
   *     increments a counter of its thread (no lock, no allocation).
   */
  public record Metrics(@DefaultValue("false") boolean evaluations) {}

  /** The health status of a STALE node. */
  public enum StaleStatus {
    /** Healthy: it serves the last known values. */
    UP,
    /** Out of service. */
    OUT_OF_SERVICE
  }
}
