package io.toggles.servlet;

import static io.toggles.servlet.AdminHttp.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toggles.Audit;
import io.toggles.FeatureDefinition;
import io.toggles.Hierarchy;
import io.toggles.InMemoryStore;
import io.toggles.Toggles;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The origin check of writes compares with what is configured, never with the request's own Host
 * header (DNS rebinding: a page whose domain is re-pointed at this server sends a Host and an
 * Origin that match). Over real HTTP, byte for byte, since the Host header is the attacker's.
 */
class AdminOriginTest {
  private static final Audit SETUP = Audit.of("setup", "test fixture");
  private static final byte[] KILL = "{\"reason\":\"r\"}".getBytes(StandardCharsets.UTF_8);

  private InMemoryStore store;
  private Toggles toggles;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    store = InMemoryStore.create(Hierarchy.DEFAULT);
    store.define(FeatureDefinition.bool("new-checkout"), SETUP);
    toggles = Toggles.builder(store).syncInterval(Duration.ZERO).build();
    server =
        new TestServer(8)
            .fakeLogin("/*")
            .servlet(endpoint().serverName("127.0.0.1").build(), "/named/*")
            .servlet(endpoint().allowedOrigins("https://admin.example.com").build(), "/listed/*")
            .servlet(endpoint().build(), "/unconfigured/*")
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
    toggles.close();
  }

  @Test
  void aRebindingPageWhoseHostAndOriginMatchIsRefused() throws Exception {
    long before = store.revision();
    for (String endpoint : new String[] {"/named", "/listed", "/unconfigured"}) {
      assertError(
          kill(endpoint, "Host: evil.example", "Origin: http://evil.example"),
          403,
          "forbidden",
          "origin 'http://evil.example' is not allowed");
      String port = ":" + server.uri("/").getPort();
      assertError(
          kill(endpoint, "Host: evil.example" + port, "Origin: http://evil.example" + port),
          403,
          "forbidden",
          "is not allowed");
    }
    assertThat(store.revision()).isEqualTo(before);
  }

  @Test
  void theConfiguredServerNameAndAllowedOriginsAreAccepted() throws Exception {
    assertThat(kill("/named", "Origin: " + server.origin()).status()).isEqualTo(200);
    assertThat(store.read("new-checkout").killed()).isTrue();
    assertThat(kill("/listed", "Origin: https://admin.example.com").status()).isEqualTo(200);
    // The configured name on another port, or with another scheme, is another origin.
    assertError(kill("/named", "Origin: http://127.0.0.1:1"), 403, "forbidden", "is not allowed");
    assertError(
        kill("/named", "Origin: https://127.0.0.1:" + server.uri("/").getPort()),
        403,
        "forbidden",
        "is not allowed");
  }

  @Test
  void withNothingConfiguredBrowsersCannotWriteButClientsWithoutAnOriginCan() throws Exception {
    assertError(
        kill("/unconfigured", "Origin: " + server.origin()),
        403,
        "forbidden",
        "browsers write only from origins this endpoint is configured with");
    assertThat(store.read("new-checkout").killed()).isFalse();
    assertThat(kill("/unconfigured").status()).isEqualTo(200);
    assertThat(store.read("new-checkout").killed()).isTrue();
  }

  @Test
  void aServerNameIsAHostAlone() {
    TogglesAdminServlet.Builder b = endpoint();
    for (String bad :
        new String[] {"", "http://x.example", "x.example:8080", "x.example/a", "a b"}) {
      assertThatThrownBy(() -> b.serverName(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a host name or IP address alone");
    }
    b.serverName("Toggles.Example.COM").serverName("[::1]").serverName("10.0.0.7");
  }

  private TestServer.RawResponse kill(String endpoint, String... headers) throws Exception {
    String[] all =
        AdminHttp.with(
            new String[] {
              "Content-Type: application/json",
              TogglesAdminServlet.CSRF_HEADER + ": 1",
              TestServer.USER_HEADER + ": alice"
            },
            headers);
    return server.raw("POST " + endpoint + "/features/new-checkout/kill", KILL, all);
  }

  private TogglesAdminServlet.Builder endpoint() {
    return AdminHttp.endpoint(toggles, store);
  }
}
