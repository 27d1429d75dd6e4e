package io.toggles.examples.checkout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The HTTP side of the {@code demo} script, so that the demo needs nothing but a JDK: asks the
 * running checkout service and checks its answers. Exit code 0 when the answer is as expected, 1
 * when it is not (or the service does not answer), 2 for a bad command line.
 *
 * <pre>
 * DemoClient health BASE_URL
 *     wait (up to 60 s) until GET /health answers READY
 * DemoClient checkout BASE_URL QUERY --expect new|old
 *     one GET /checkout?QUERY; print the request, the answer and what it means
 * DemoClient watch BASE_URL QUERY --from new|old --to new|old --feature KEY --within-ms N
 *                  --ready-file FILE
 *     check that GET /checkout?QUERY answers the "from" flow, create FILE, then ask every 5 ms
 *     until it answers the "to" flow; print how long after the feature's latest change (read
 *     from the admin endpoint's history) that first happened; fail if longer than N ms
 * </pre>
 *
 * <p>{@code watch} runs in the background while the script flips the feature with the CLI: it is
 * already asking when the change is written, so the time it reports is the time the flip took to
 * reach the service, not the time the CLI's JVM took to start and stop.
 */
public final class DemoClient {
  /** How long {@code watch} keeps asking before it gives up. */
  private static final Duration GIVE_UP = Duration.ofSeconds(60);

  /** The pause between two requests of {@code watch}: the resolution of the time it reports. */
  private static final Duration POLL = Duration.ofMillis(5);

  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneId.systemDefault());

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final ObjectMapper json = new ObjectMapper();
  private final PrintStream out;
  private final URI base;

  private DemoClient(URI base, PrintStream out) {
    this.base = base;
    this.out = out;
  }

  /** Thrown when the service does not answer as expected; the message says what happened. */
  static final class Unexpected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unexpected(String message) {
      super(message);
    }
  }

  /**
   * Runs one command, see the class description, and exits with its code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(run(System.out, System.err, args));
  }

  /** Runs one command; returns the exit code. */
  static int run(PrintStream out, PrintStream err, String... args) {
    try {
      if (args.length < 2) {
        throw new IllegalArgumentException("expected COMMAND BASE_URL ...");
      }
      DemoClient client = new DemoClient(URI.create(args[1]), out);
      switch (args[0]) {
        case "health" -> client.health();
        case "checkout" -> client.checkout(arg(args, 2, "QUERY"), flow(option(args, "--expect")));
        case "watch" ->
            client.watch(
                arg(args, 2, "QUERY"),
                flow(option(args, "--from")),
                flow(option(args, "--to")),
                option(args, "--feature"),
                Duration.ofMillis(millis(option(args, "--within-ms"))),
                Path.of(option(args, "--ready-file")));
        default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
      }
      return 0;
    } catch (Unexpected e) {
      err.println("FAILED: " + e.getMessage());
      return 1;
    } catch (IllegalArgumentException e) {
      err.println("DemoClient: " + e.getMessage());
      err.println(
          "usage: DemoClient health BASE_URL | checkout BASE_URL QUERY --expect new|old"
              + " | watch BASE_URL QUERY --from new|old --to new|old --feature KEY --within-ms N"
              + " --ready-file FILE");
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("FAILED: interrupted");
      return 1;
    }
  }

  private static String arg(String[] args, int index, String name) {
    if (index >= args.length || args[index].startsWith("--")) {
      throw new IllegalArgumentException("missing " + name);
    }
    return args[index];
  }

  private static String option(String[] args, String name) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    throw new IllegalArgumentException("missing option " + name);
  }

  private static long millis(String text) {
    try {
      long ms = Long.parseLong(text);
      if (ms > 0) {
        return ms;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--within-ms takes a positive number, not '" + text + "'");
  }

  private static String flow(String flow) {
    if (!flow.equals("new") && !flow.equals("old")) {
      throw new IllegalArgumentException("a flow is new or old, not '" + flow + "'");
    }
    return flow;
  }

  // ------------------------------------------------------------------ commands

  private void health() throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    String last = "no answer";
    while (Instant.now().isBefore(deadline)) {
      try {
        HttpResponse<String> r = get("/health");
        JsonNode body = json.readTree(r.body());
        if (r.statusCode() == 200 && body.path("status").asText().equals("READY")) {
          out.println(
              "   GET /health -> "
                  + r.statusCode()
                  + " "
                  + r.body()
                  + "\n   The service is up and its toggles are current (revision "
                  + body.path("revision").asLong()
                  + ").");
          return;
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(100);
    }
    throw new Unexpected("the service did not become READY within 60 s; last answer: " + last);
  }

  private void checkout(String query, String expected) throws InterruptedException {
    String path = "/checkout?" + encode(query);
    Answer a = ask(path);
    out.println("   GET " + path);
    out.println("   -> " + a.status + " " + a.body);
    out.println("   " + a.meaning());
    if (!a.flow.equals(expected)) {
      throw new Unexpected("expected the " + expected + " flow, the service answered " + a.flow);
    }
  }

  private void watch(
      String query, String from, String to, String feature, Duration bound, Path readyFile)
      throws InterruptedException {
    String path = "/checkout?" + encode(query);
    Answer first = ask(path);
    if (!first.flow.equals(from)) {
      throw new Unexpected(
          "expected the " + from + " flow before the change, the service answered " + first.flow);
    }
    out.println(
        "   (watching GET "
            + path
            + " every "
            + POLL.toMillis()
            + " ms: "
            + from
            + " flow now, waiting for the "
            + to
            + " one)");
    out.flush();
    try {
      Files.writeString(readyFile, "watching\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + readyFile, e);
    }
    Instant deadline = Instant.now().plus(GIVE_UP);
    Answer a;
    Instant seen;
    while (true) {
      a = ask(path);
      seen = Instant.now();
      if (a.flow.equals(to)) {
        break;
      }
      if (seen.isAfter(deadline)) {
        throw new Unexpected(
            "still the "
                + a.flow
                + " flow after "
                + GIVE_UP.toSeconds()
                + " s of watching (service at revision "
                + a.revision
                + ")");
      }
      Thread.sleep(POLL.toMillis());
    }
    JsonNode change = latestChange(feature);
    Instant written = Instant.parse(change.path("at").asText());
    long revision = change.path("revision").asLong();
    long ms = Duration.between(written, seen).toMillis();
    out.println("   GET " + path);
    out.println("   -> " + a.status + " " + a.body);
    out.println("   " + a.meaning());
    out.println(
        "   Revision "
            + revision
            + " ("
            + change.path("kind").asText().toLowerCase(Locale.ROOT)
            + " of "
            + feature
            + ") was written at "
            + CLOCK.format(written)
            + "; the first answer with the "
            + to
            + " flow came at "
            + CLOCK.format(seen)
            + ":");
    out.println(
        "   The flip took "
            + ms
            + " ms to reach the service (it polls the database every "
            + CheckoutApp.SYNC_INTERVAL.toMillis()
            + " ms; the bound is "
            + bound.toMillis()
            + " ms).");
    if (a.revision < revision) {
      throw new Unexpected(
          "the answer came from revision " + a.revision + ", before the change " + revision);
    }
    if (ms > bound.toMillis()) {
      throw new Unexpected(
          "the flip took "
              + ms
              + " ms to become visible, more than the bound of "
              + bound.toMillis()
              + " ms");
    }
  }

  // ------------------------------------------------------------------ HTTP

  private JsonNode latestChange(String feature) throws InterruptedException {
    String path =
        "/admin/toggles/history?limit=1&feature="
            + URLEncoder.encode(feature, StandardCharsets.UTF_8);
    try {
      HttpResponse<String> r = get(path);
      JsonNode changes = json.readTree(r.body()).path("changes");
      if (r.statusCode() != 200 || changes.size() != 1) {
        throw new Unexpected("GET " + path + " answered " + r.statusCode() + " " + r.body());
      }
      return changes.get(0);
    } catch (IOException e) {
      throw new Unexpected("GET " + path + " failed: " + e);
    }
  }

  private Answer ask(String path) throws InterruptedException {
    HttpResponse<String> r;
    JsonNode body;
    try {
      r = get(path);
      body = json.readTree(r.body());
    } catch (IOException e) {
      throw new Unexpected("GET " + path + " failed: " + e);
    }
    if (r.statusCode() != 200 || !body.path("flow").isTextual()) {
      throw new Unexpected("GET " + path + " answered " + r.statusCode() + " " + r.body());
    }
    return new Answer(
        r.statusCode(),
        r.body(),
        body.path("flow").asText(),
        body.path("gateway").asText(),
        body.path("revision").asLong());
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build();
    return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** Encodes the values of {@code k=v&k=v}, leaving the separators alone. */
  private static String encode(String query) {
    StringBuilder out = new StringBuilder();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("QUERY must be name=value&..., got '" + query + "'");
      }
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(URLEncoder.encode(pair.substring(0, eq), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  private record Answer(int status, String body, String flow, String gateway, long revision) {
    String meaning() {
      return "Served by the "
          + (flow.equals("new") ? "NEW one-page" : "OLD five-step")
          + " checkout, paid through "
          + gateway
          + ".";
    }
  }
}
