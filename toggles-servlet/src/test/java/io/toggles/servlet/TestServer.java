package io.toggles.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** An embedded Jetty 12 (ee10) on a free port, and a client that talks to it over real HTTP. */
final class TestServer {
  /** Test stand-in for container authentication: this header names the user. */
  static final String USER_HEADER = "X-Test-User";

  private final Server server;
  private final ServerConnector connector;
  private final ServletContextHandler context = new ServletContextHandler();
  final HttpClient client =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  TestServer(int maxThreads) {
    QueuedThreadPool pool = new QueuedThreadPool(maxThreads, Math.min(4, maxThreads));
    pool.setName("jetty");
    server = new Server(pool);
    connector = new ServerConnector(server, 1, 1);
    connector.setPort(0);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    context.setContextPath("/");
    server.setHandler(context);
  }

  TestServer filter(Filter filter, String pathSpec, DispatcherType... types) {
    FilterHolder holder = new FilterHolder(filter);
    holder.setAsyncSupported(true);
    EnumSet<DispatcherType> set =
        types.length == 0 ? EnumSet.of(DispatcherType.REQUEST) : EnumSet.of(types[0], types);
    context.addFilter(holder, pathSpec, set);
    return this;
  }

  TestServer servlet(HttpServlet servlet, String pathSpec) {
    ServletHolder holder = new ServletHolder(servlet);
    holder.setAsyncSupported(true);
    context.addServlet(holder, pathSpec);
    return this;
  }

  /** Authenticates requests that carry {@link #USER_HEADER}, as a container's login would. */
  TestServer fakeLogin(String pathSpec) {
    return filter(new FakeLogin(), pathSpec);
  }

  TestServer start() throws Exception {
    server.start();
    return this;
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort() + pathAndQuery);
  }

  String origin() {
    return "http://127.0.0.1:" + connector.getLocalPort();
  }

  HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b);
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(
        request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** An answer read off the socket: the status, the headers (names in lower case), the body. */
  record RawResponse(int status, Map<String, String> headers, String body) {}

  /**
   * Sends {@code requestLine} ({@code "GET /path?query"}) with {@code headers} ({@code "Name:
   * value"} lines) and {@code body} over a plain socket, byte for byte: for what {@link HttpClient}
   * will not send (a malformed escape, a Host header of one's choosing).
   */
  RawResponse raw(String requestLine, byte[] body, String... headers) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", connector.getLocalPort())) {
      socket.setSoTimeout(30_000);
      StringBuilder head = new StringBuilder(requestLine).append(" HTTP/1.1\r\n");
      boolean host = false;
      for (String h : headers) {
        host |= h.toLowerCase(Locale.ROOT).startsWith("host:");
        head.append(h).append("\r\n");
      }
      if (!host) {
        head.append("Host: 127.0.0.1:").append(connector.getLocalPort()).append("\r\n");
      }
      if (body.length > 0) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      head.append("Connection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int end = answer.indexOf("\r\n\r\n");
      String[] lines = answer.substring(0, end).split("\r\n");
      Map<String, String> names = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        names.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
      String rest = answer.substring(end + 4);
      if ("chunked".equalsIgnoreCase(names.get("transfer-encoding"))) {
        throw new IllegalStateException("chunked answers are not read here: " + answer);
      }
      return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), names, rest);
    }
  }

  RawResponse raw(String requestLine, String... headers) throws IOException {
    return raw(requestLine, new byte[0], headers);
  }

  void stop() throws Exception {
    server.stop();
  }

  private static final class FakeLogin implements Filter {
    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
        throws IOException, ServletException {
      HttpServletRequest request = (HttpServletRequest) req;
      String user = request.getHeader(USER_HEADER);
      if (user == null) {
        chain.doFilter(req, res);
        return;
      }
      Principal principal = () -> user;
      chain.doFilter(
          new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
              return principal;
            }

            @Override
            public String getRemoteUser() {
              return user;
            }
          },
          res);
    }
  }
}
