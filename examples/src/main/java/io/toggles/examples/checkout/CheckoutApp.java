package io.toggles.examples.checkout;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.toggles.Change;
import io.toggles.Toggles;
import io.toggles.jdbc.JdbcStore;
import io.toggles.servlet.RequestScopeExtractor;
import io.toggles.servlet.TogglesAdminServlet;
import io.toggles.servlet.TogglesFilter;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkout service: embedded Jetty on {@code 127.0.0.1}, toggles in an H2 file database.
 *
 * <p>Start it with {@code java -jar examples/target/checkout-example.jar --port 8080 --db DIR}. It
 * creates the toggles schema (idempotent), writes the {@linkplain RolloutStory rollout story} if
 * the features are not declared yet, and serves:
 *
 * <ul>
 *   <li>{@code GET /checkout?product=&merchant=&country=}: the flow and gateway of that request;
 *   <li>{@code GET /health}: how current the toggles are (200 READY, else 503);
 *   <li>{@code GET /admin/toggles/*}: the read-only admin endpoint of {@code toggles-servlet}
 *       (features, rows, {@code eval} with explanation, {@code history}); it has no authorizer, so
 *       every write is refused.
 * </ul>
 *
 * <p>The database URL is {@code jdbc:h2:file:DIR/toggles;AUTO_SERVER=TRUE}: while the service runs,
 * the {@code toggles} command line opens the same URL and its flips reach the service within {@link
 * #SYNC_INTERVAL} (plus one read of the changes). Thread-safe; {@link #close()} stops everything.
 */
public final class CheckoutApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CheckoutApp.class);

  /** How often the service polls the store's revision: the bound on how late a flip shows. */
  public static final Duration SYNC_INTERVAL = Duration.ofMillis(250);

  private static final String HOST = "127.0.0.1";

  private final Server server;
  private final Toggles toggles;
  private final JdbcStore store;
  private final String jdbcUrl;
  private final int port;
  private final AtomicBoolean closed = new AtomicBoolean();

  private CheckoutApp(Server server, Toggles toggles, JdbcStore store, String jdbcUrl, int port) {
    this.server = server;
    this.toggles = toggles;
    this.store = store;
    this.jdbcUrl = jdbcUrl;
    this.port = port;
  }

  /**
   * The JDBC URL of the toggles database in {@code dbDir}, for this service and the command line.
   *
   * @throws IllegalArgumentException if the path contains {@code ;}, which would end the URL's path
   */
  public static String jdbcUrl(Path dbDir) {
    String dir = dbDir.toAbsolutePath().normalize().toString();
    if (dir.contains(";")) {
      throw new IllegalArgumentException(
          "database directory " + dir + " contains ';', which a JDBC URL cannot carry");
    }
    return "jdbc:h2:file:" + dir + "/toggles;AUTO_SERVER=TRUE";
  }

  /**
   * Opens (or creates) the toggles database in {@code dbDir} and starts serving on {@code
   * 127.0.0.1:port}.
   *
   * @param dbDir directory of the H2 database, created if missing
   * @param port the HTTP port, 0 for a free one (see {@link #port()})
   * @throws IllegalArgumentException if the port is out of range or the path unusable
   * @throws io.toggles.StoreException if the database cannot be opened or written
   * @throws IllegalStateException if the HTTP server does not start (port taken, for instance)
   */
  public static CheckoutApp start(Path dbDir, int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
    }
    String url = jdbcUrl(dbDir);
    try {
      Files.createDirectories(dbDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create database directory " + dbDir, e);
    }
    JdbcStore store = JdbcStore.builder(url).build();
    Toggles toggles = null;
    Server server = null;
    try {
      store.createSchema();
      List<Change> written = RolloutStory.writeIfMissing(store);
      if (written.isEmpty()) {
        LOG.info("features already declared in {}: left as they are", url);
      } else {
        LOG.info("wrote the rollout story ({} changes) to {}", written.size(), url);
      }
      toggles = Toggles.builder(store).syncInterval(SYNC_INTERVAL).build();
      server = server(toggles, store, port);
      server.start();
      int actual = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
      LOG.info(
          "serving on http://{}:{} (toggles at revision {})", HOST, actual, toggles.revision());
      return new CheckoutApp(server, toggles, store, url, actual);
    } catch (RuntimeException e) {
      stopQuietly(server, toggles, store);
      throw e;
    } catch (Exception e) {
      stopQuietly(server, toggles, store);
      throw new IllegalStateException("HTTP server did not start on " + HOST + ":" + port, e);
    }
  }

  private static Server server(Toggles toggles, JdbcStore store, int port) {
    QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    threads.setName("checkout-http");
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost(HOST);
    connector.setPort(port);
    server.addConnector(connector);

    ObjectMapper json = new ObjectMapper();
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    // Binds each request's product/merchant/country (X-Toggles-* headers, else query parameters)
    // for RequestContext.current(); malformed values are dropped with a WARN line.
    context.addFilter(
        new FilterHolder(TogglesFilter.of(RequestScopeExtractor.of(toggles.hierarchy()))),
        "/*",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new CheckoutServlet(toggles, json)), "/checkout");
    context.addServlet(new ServletHolder(new HealthServlet(toggles, json)), "/health");
    // No authorizer: reads only, every write is refused. The connector listens on 127.0.0.1 only.
    context.addServlet(
        new ServletHolder(TogglesAdminServlet.builder(toggles, store).build()), "/admin/toggles/*");
    server.setHandler(context);
    return server;
  }

  /** The HTTP port the service listens on. */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT}. */
  public URI baseUri() {
    return URI.create("http://" + HOST + ":" + port);
  }

  /** The JDBC URL of the toggles database, to give the command line. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /**
   * Blocks until the service has stopped.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void awaitStopped() throws InterruptedException {
    server.join();
  }

  /** Stops the HTTP server, the toggles and the store. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      stopQuietly(server, toggles, store);
      LOG.info("stopped");
    }
  }

  private static void stopQuietly(
      @Nullable Server server, @Nullable Toggles toggles, JdbcStore store) {
    if (server != null) {
      try {
        server.stop();
      } catch (Exception e) {
        LOG.warn("HTTP server did not stop cleanly", e);
      }
    }
    if (toggles != null) {
      toggles.close();
    }
    store.close();
  }

  /**
   * Runs the service until the process is stopped (SIGTERM or Ctrl-C stop it cleanly). Options:
   * {@code --port N} (default 8080; 0 picks a free port) and {@code --db DIR} (default {@code
   * checkout-db}). The first line on standard output is {@code LISTENING port=N}, for scripts.
   * Exits with 2 on a bad command line, 1 if the service cannot start.
   *
   * @param args the command line
   * @throws InterruptedException if interrupted while serving
   */
  public static void main(String[] args) throws InterruptedException {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("checkout-example: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(Options.USAGE);
      return;
    }
    // The AUTO_SERVER database listens for other processes (the CLI) only on the loopback
    // interface, like the HTTP connector, unless told otherwise.
    if (System.getProperty("h2.bindAddress") == null) {
      System.setProperty("h2.bindAddress", HOST);
    }
    CheckoutApp app;
    try {
      app = start(options.db(), options.port());
    } catch (RuntimeException e) {
      LOG.error("cannot start", e);
      System.err.println("checkout-example: cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "checkout-shutdown"));
    PrintStream out = System.out;
    out.println("LISTENING port=" + app.port());
    out.println("Checkout example on " + app.baseUri() + ", toggles in " + app.jdbcUrl());
    out.println(
        "  try: "
            + app.baseUri()
            + "/checkout?product=gift-cards&merchant=acme-outdoor&country=NL");
    out.println("  CLI: bin/toggles history --url '" + app.jdbcUrl() + "'");
    out.flush();
    app.awaitStopped();
  }

  /** The command line of {@link #main}. */
  record Options(int port, Path db, boolean help) {
    static final String USAGE =
        "Usage: java -jar checkout-example.jar [--port N] [--db DIR]\n"
            + "  --port N   HTTP port on 127.0.0.1, 0 for a free one (default 8080)\n"
            + "  --db DIR   directory of the H2 toggles database, created if missing"
            + " (default checkout-db)";

    /**
     * Parses the command line.
     *
     * @throws IllegalArgumentException naming the bad or missing option
     */
    static Options parse(String... args) {
      int port = 8080;
      Path db = Path.of("checkout-db");
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--help", "-h" -> {
            return new Options(port, db, true);
          }
          case "--port" -> port = port(value(args, ++i, "--port"));
          case "--db" -> db = Path.of(value(args, ++i, "--db"));
          default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
        }
      }
      return new Options(port, db, false);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length || args[i].isBlank()) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    private static int port(String text) {
      try {
        int port = Integer.parseInt(text);
        if (port >= 0 && port <= 65_535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("--port must be 0 to 65535, got '" + text + "'");
    }
  }
}
