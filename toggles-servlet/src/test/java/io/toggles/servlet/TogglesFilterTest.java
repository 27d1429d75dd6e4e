package io.toggles.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.toggles.Context;
import io.toggles.Hierarchy;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TogglesFilterTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final String ID = "X-Request-Id";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Probe probe = new Probe();
  private final AtomicInteger extractions = new AtomicInteger();
  private final AtomicInteger served = new AtomicInteger();
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "worker"));
  private TestServer server;

  @AfterEach
  void stop() throws Exception {
    worker.shutdownNow();
    if (server != null) {
      server.stop();
    }
  }

  /** Probe, optional extra filters, the toggles filter, and the test servlets. */
  private TestServer start(ContextExtractor extractor, Filter... before) throws Exception {
    ContextExtractor counting =
        request -> {
          extractions.incrementAndGet();
          return extractor.extract(request);
        };
    server = new TestServer(12);
    server.filter(probe, "/*", DispatcherType.REQUEST, DispatcherType.ASYNC);
    for (Filter f : before) {
      server.filter(f, "/leak/*");
    }
    server
        .filter(TogglesFilter.of(counting), "/*", DispatcherType.REQUEST, DispatcherType.ASYNC)
        .servlet(new Echo(), "/app/*")
        .servlet(new Echo(), "/leak/*")
        .servlet(new Boom(), "/boom")
        .servlet(new AsyncEcho(true), "/async")
        .servlet(new AsyncEcho(false), "/async-unwrapped")
        .servlet(new AsyncDispatch(), "/dispatch");
    return server.start();
  }

  // ---------------------------------------------------------------- binding and unbinding

  @Test
  void concurrentRequestsEachSeeTheirOwnContextAndLeaveNoBindingBehind() throws Exception {
    start(RequestScopeExtractor.of(H));
    int n = 300;
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    List<Map<String, String>> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, String> want = new LinkedHashMap<>();
      want.put("product", "p" + i);
      if (i % 3 != 0) {
        want.put("merchant", "m" + (i % 7));
      }
      String query = "";
      HttpRequest.Builder b = HttpRequest.newBuilder().header(ID, "r" + i);
      b.header("X-Toggles-Product", "p" + i);
      if (i % 3 != 0) {
        b.header("X-Toggles-Merchant", "m" + (i % 7));
      }
      if (i % 2 == 0) {
        want.put("country", "C" + i);
        query = "?country=C" + i; // even requests take the country from the query string
      }
      expected.add(want);
      responses.add(
          server.client.sendAsync(
              b.uri(server.uri("/app/check" + query)).GET().build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    Set<String> threads = new HashSet<>();
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = responses.get(i).get(30, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode body = JSON.readTree(r.body());
      assertThat(toMap(body.get("context"))).as("request %d", i).isEqualTo(expected.get(i));
      Probe.Seen seen = probe.await("r" + i);
      assertThat(seen.atEntry()).as("binding when request %d entered", i).isEmpty();
      assertThat(seen.afterChain()).as("binding after request %d", i).isEmpty();
      threads.add(seen.thread());
    }
    // The pool has at most 12 threads, so threads served many requests one after another.
    assertThat(threads.size()).isLessThanOrEqualTo(12);
    assertThat(extractions.get()).isEqualTo(n);
  }

  @Test
  void aRequestThatThrowsStillUnbinds() throws Exception {
    start(RequestScopeExtractor.of(H));
    HttpResponse<String> r = server.get("/boom", ID, "boom", "X-Toggles-Product", "p1");
    assertThat(r.statusCode()).isEqualTo(500);
    Probe.Seen seen = probe.await("boom");
    assertThat(seen.afterChain()).isEmpty();
    assertThat(seen.failure()).hasValue("the servlet failed");
    // The same pool serves the next requests without a leftover binding.
    for (int i = 0; i < 20; i++) {
      assertThat(server.get("/app/x", ID, "next" + i).statusCode()).isEqualTo(200);
      assertThat(probe.await("next" + i).atEntry()).isEmpty();
    }
  }

  @Test
  void asyncRequestDoesNotLeaveTheContextOnTheContainerThreadAndWrapCarriesIt() throws Exception {
    start(RequestScopeExtractor.of(H));
    HttpResponse<String> r =
        server.get("/async", ID, "a1", "X-Toggles-Product", "p1", "X-Toggles-Country", "DE");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(toMap(body.get("context"))).isEqualTo(Map.of("product", "p1", "country", "DE"));
    assertThat(body.get("thread").asText()).isEqualTo("worker");
    assertThat(probe.await("a1").afterChain()).isEmpty();
    // The wrapped task restored the worker thread's (empty) binding when it finished.
    assertThat(worker.submit(RequestContext::bound).get(5, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void asyncContinuationWithoutWrapSeesNoBinding() throws Exception {
    start(RequestScopeExtractor.of(H));
    HttpResponse<String> r = server.get("/async-unwrapped", ID, "a2", "X-Toggles-Product", "p1");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("bound").asBoolean()).isFalse();
    assertThat(toMap(body.get("context"))).isEmpty();
    assertThat(probe.await("a2").afterChain()).isEmpty();
  }

  @Test
  void asyncDispatchIsBoundAgainWithTheContextExtractedAtEntry() throws Exception {
    start(RequestScopeExtractor.of(H));
    HttpResponse<String> r =
        server.get("/dispatch?merchant=m5", ID, "d1", "X-Toggles-Product", "p9");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(toMap(body.get("context"))).isEqualTo(Map.of("product", "p9", "merchant", "m5"));
    assertThat(body.get("dispatcher").asText()).isEqualTo("ASYNC");
    assertThat(extractions.get()).isEqualTo(1);
    assertThat(probe.await("d1").afterChain()).isEmpty();
  }

  @Test
  void aLeakedBindingIsLoggedAndReplacedAndClearedAfterTheRequest() throws Exception {
    Filter leaker =
        (req, res, chain) -> {
          RequestContext.bind(Context.of(H, "leaked", null, null)); // never closed: a bug
          chain.doFilter(req, res);
        };
    start(RequestScopeExtractor.of(H), leaker);
    try (LogCapture log = new LogCapture()) {
      HttpResponse<String> r = server.get("/leak/x", ID, "l1", "X-Toggles-Product", "mine");
      assertThat(toMap(JSON.readTree(r.body()).get("context")))
          .isEqualTo(Map.of("product", "mine"));
      assertThat(probe.await("l1").afterChain()).isEmpty();
      assertThat(log.text()).contains("a binding leaked").contains("leaked");
    }
  }

  // ---------------------------------------------------------------- extraction

  @Test
  void headerBeatsQueryParameterByDefault() throws Exception {
    start(RequestScopeExtractor.of(H));
    HttpResponse<String> r =
        server.get("/app/x?merchant=fromQuery&country=DE", "X-Toggles-Merchant", "fromHeader");
    assertThat(toMap(JSON.readTree(r.body()).get("context")))
        .isEqualTo(Map.of("merchant", "fromHeader", "country", "DE"));
  }

  @Test
  void sourcesAreConfigurable() throws Exception {
    start(RequestScopeExtractor.builder(H).sources(RequestScopeExtractor.Source.PARAMETER).build());
    HttpResponse<String> r =
        server.get(
            "/app/x?merchant=fromQuery",
            "X-Toggles-Merchant",
            "fromHeader",
            "X-Toggles-Product",
            "ignored");
    assertThat(toMap(JSON.readTree(r.body()).get("context")))
        .isEqualTo(Map.of("merchant", "fromQuery"));
  }

  @Test
  void headerNamesFollowTheDimensionsCaseInsensitively() throws Exception {
    assertThat(RequestScopeExtractor.headerName("product")).isEqualTo("X-Toggles-Product");
    assertThat(RequestScopeExtractor.headerName("sales_channel"))
        .isEqualTo("X-Toggles-Sales-Channel");
    Hierarchy custom = Hierarchy.of("tenant", "sales_channel");
    start(RequestScopeExtractor.of(custom));
    HttpResponse<String> r =
        server.get("/app/x", "x-toggles-sales-channel", "web", "X-TOGGLES-TENANT", "acme");
    assertThat(toMap(JSON.readTree(r.body()).get("context")))
        .isEqualTo(Map.of("tenant", "acme", "sales_channel", "web"));
  }

  @Test
  void theFilterDoesNotConsumeAFormBody() throws Exception {
    start(RequestScopeExtractor.of(H));
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri("/app/x?country=FR"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("merchant=m1&x=1")));
    JsonNode body = JSON.readTree(r.body());
    assertThat(toMap(body.get("context"))).isEqualTo(Map.of("country", "FR"));
    assertThat(body.get("body").asText()).isEqualTo("merchant=m1&x=1");
  }

  @Test
  void invalidValuesAreDroppedWithAnEscapedTruncatedWarning() throws Exception {
    start(RequestScopeExtractor.of(H));
    String tooLong = "x".repeat(129);
    try (LogCapture log = new LogCapture()) {
      HttpResponse<String> r =
          server.get(
              "/app/x?merchant=m1%0AFORGED%20line&country=%20DE", "X-Toggles-Product", tooLong);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(toMap(JSON.readTree(r.body()).get("context"))).isEmpty();
      String text = log.text();
      assertThat(text)
          .contains("without 'product'")
          .contains("is 129 characters long; the limit is 128")
          .contains("... (129 chars)")
          .doesNotContain(tooLong);
      assertThat(text).contains("without 'merchant'").contains("m1\\u000aFORGED line");
      assertThat(text).doesNotContain("\nFORGED");
      assertThat(text).contains("without 'country'").contains("surrounding whitespace");
    }
    // Empty and repeated values are invalid too.
    try (LogCapture log = new LogCapture()) {
      HttpResponse<String> r = server.get("/app/x?merchant=&country=DE&country=FR&product=ok");
      assertThat(toMap(JSON.readTree(r.body()).get("context"))).isEqualTo(Map.of("product", "ok"));
      assertThat(log.text()).contains("is empty").contains("appears 2 times");
    }
  }

  @Test
  void invalidUtf8InTheQueryStringIsDroppedNotTurnedIntoAReplacementCharacter() throws Exception {
    start(RequestScopeExtractor.of(H));
    try (LogCapture log = new LogCapture()) {
      // %ff is no UTF-8 at all, %c0%80 an overlong NUL, %zz no escape: the first two used to
      // decode to U+FFFD and pass as an ordinary scope value.
      TestServer.RawResponse r =
          server.raw("GET /app/x?merchant=m%ff&product=%c0%80&country=%ed%a0%zz");
      assertThat(r.status()).isEqualTo(200);
      assertThat(toMap(JSON.readTree(r.body()).get("context"))).isEmpty();
      assertThat(log.text())
          .contains("without 'merchant'")
          .contains("without 'product'")
          .contains("without 'country'")
          .contains("is not valid URL-encoded UTF-8")
          .doesNotContain("\ufffd");
    }
    // Well-formed UTF-8 beyond ASCII passes.
    HttpResponse<String> ok = server.get("/app/x?merchant=m%C3%BCller&country=%F0%9F%87%A9");
    assertThat(toMap(JSON.readTree(ok.body()).get("context")))
        .isEqualTo(Map.of("merchant", "m\u00fcller", "country", "\ud83c\udde9"));
  }

  @Test
  void aControlCharacterInAHeaderIsDropped() throws Exception {
    start(RequestScopeExtractor.of(H));
    try (LogCapture log = new LogCapture()) {
      HttpResponse<String> r = server.get("/app/x", "X-Toggles-Country", "D\tE");
      assertThat(toMap(JSON.readTree(r.body()).get("context"))).isEmpty();
      assertThat(log.text()).contains("control character").contains("D\\u0009E");
    }
  }

  @Test
  void invalidValuesCanRejectTheRequestWith400() throws Exception {
    start(
        RequestScopeExtractor.builder(H).onInvalid(RequestScopeExtractor.OnInvalid.REJECT).build());
    HttpResponse<String> r =
        server.get("/app/x?merchant=ok", ID, "rej", "X-Toggles-Product", "x".repeat(200));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json;charset=utf-8");
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("error").asText()).isEqualTo("bad_scope");
    assertThat(body.get("dimension").asText()).isEqualTo("product");
    assertThat(body.get("message").asText()).contains("200 characters long");
    assertThat(served.get()).isZero();
    assertThat(probe.await("rej").afterChain()).isEmpty();
    // Valid requests still pass.
    assertThat(server.get("/app/x?merchant=ok").statusCode()).isEqualTo(200);
    assertThat(served.get()).isEqualTo(1);
  }

  @Test
  void aCustomExtractorCanTakeValuesFromAnywhereAndReject() throws Exception {
    start(
        request -> {
          String path = request.getRequestURI(); // /app/products/<product>
          String[] parts = path.split("/");
          Context.Builder c = H.context();
          if (parts.length > 3 && parts[2].equals("products")) {
            if (parts[3].equals("forbidden")) {
              throw new ScopeRejectedException("product", "product 'forbidden' is not served");
            }
            c.with("product", parts[3]);
          }
          return c.build();
        });
    assertThat(toMap(JSON.readTree(server.get("/app/products/shoes").body()).get("context")))
        .isEqualTo(Map.of("product", "shoes"));
    HttpResponse<String> r = server.get("/app/products/forbidden");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).get("message").asText()).contains("not served");
  }

  // ---------------------------------------------------------------- helpers

  private static Map<String, String> toMap(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static String render(HttpServletRequest request, String thread, String extra)
      throws IOException {
    var out = JSON.createObjectNode();
    var ctx = out.putObject("context");
    RequestContext.current().asMap().forEach(ctx::put);
    out.put("bound", RequestContext.bound().isPresent());
    out.put("thread", thread);
    out.put("dispatcher", request.getDispatcherType().name());
    out.put("body", extra);
    return JSON.writeValueAsString(out);
  }

  /** Answers the bound context (and, for a POST, the body it read itself). */
  private final class Echo extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      served.incrementAndGet();
      String body = new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      resp.setContentType("application/json");
      resp.getWriter().write(render(req, "request", body));
    }
  }

  private static final class Boom extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      throw new IllegalStateException("the servlet failed");
    }
  }

  /** Goes async and answers from a worker thread, with or without carrying the context. */
  private final class AsyncEcho extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final boolean wrap;

    AsyncEcho(boolean wrap) {
      this.wrap = wrap;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      AsyncContext ac = req.startAsync();
      Runnable task =
          () -> {
            try {
              ac.getResponse().setContentType("application/json");
              ac.getResponse().getWriter().write(render(req, "worker", ""));
            } catch (IOException e) {
              throw new IllegalStateException(e);
            } finally {
              ac.complete();
            }
          };
      worker.execute(wrap ? RequestContext.wrap(task) : task);
    }
  }

  /** Goes async and dispatches back into the filter chain from a worker thread. */
  private final class AsyncDispatch extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      AsyncContext ac = req.startAsync();
      worker.execute(() -> ac.dispatch("/app/dispatched"));
    }
  }

  /** Outermost filter: records the thread's binding when a request enters and after its chain. */
  static final class Probe implements Filter {
    record Seen(
        Optional<Context> atEntry,
        Optional<Context> afterChain,
        String thread,
        Optional<String> failure) {}

    private final Map<String, CompletableFuture<Seen>> seen = new ConcurrentHashMap<>();

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
        throws IOException, ServletException {
      String id = ((HttpServletRequest) req).getHeader(ID);
      Optional<Context> atEntry = RequestContext.bound();
      String failure = null;
      try {
        chain.doFilter(req, res);
      } catch (RuntimeException | ServletException e) {
        failure = e.getMessage();
        throw e;
      } finally {
        if (id != null && req.getDispatcherType() == DispatcherType.REQUEST) {
          future(id)
              .complete(
                  new Seen(
                      atEntry,
                      RequestContext.bound(),
                      Thread.currentThread().getName(),
                      Optional.ofNullable(failure)));
        }
      }
    }

    private CompletableFuture<Seen> future(String id) {
      return seen.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    Seen await(String id) throws Exception {
      return future(id).get(10, TimeUnit.SECONDS);
    }
  }
}
