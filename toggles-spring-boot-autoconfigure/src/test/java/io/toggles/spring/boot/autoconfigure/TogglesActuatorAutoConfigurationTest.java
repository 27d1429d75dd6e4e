package io.toggles.spring.boot.autoconfigure;

import static java.time.ZoneOffset.UTC;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.toggles.Audit;
import io.toggles.Context;
import io.toggles.Feature;
import io.toggles.FeatureDefinition;
import io.toggles.Hierarchy;
import io.toggles.InMemoryStore;
import io.toggles.Toggles;
import io.toggles.TogglesListener;
import io.toggles.spi.ToggleStore;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

/** Health, endpoint and meters: their conditions, properties and answers. */
class TogglesActuatorAutoConfigurationTest {
  private final InMemoryStore store = InMemoryStore.create(Hierarchy.DEFAULT);
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(Fixtures.TOGGLES)
          .withBean(InMemoryStore.class, () -> store)
          .withPropertyValues(
              "toggles.sync-interval=0", "management.endpoints.web.exposure.include=toggles");

  @AfterEach
  void clearSecurity() {
    SecurityContextHolder.clearContext();
  }

  @Test
  void readyIsUpWithDetails() {
    runner.run(
        ctx -> {
          Health h = ctx.getBean("togglesHealthIndicator", TogglesHealthIndicator.class).health();
          assertThat(h.getStatus()).isEqualTo(Status.UP);
          assertThat(h.getDetails())
              .containsEntry("state", "READY")
              .containsKeys("revision", "stalenessMillis", "lastSync", "fromSnapshot");
        });
  }

  @Test
  void staleIsUpByDefaultAndOutOfServiceWhenConfigured() {
    RecordingStore failing = new RecordingStore(store);
    ApplicationContextRunner r =
        new ApplicationContextRunner()
            .withConfiguration(Fixtures.TOGGLES)
            .withBean(ToggleStore.class, () -> failing)
            .withPropertyValues("toggles.sync-interval=0");
    r.run(
        ctx -> {
          failing.fail(true);
          syncQuietly(ctx.getBean(Toggles.class));
          Health h = ctx.getBean(TogglesHealthIndicator.class).health();
          assertThat(h.getStatus()).isEqualTo(Status.UP);
          assertThat(h.getDetails()).containsEntry("state", "STALE").containsKey("lastError");
          failing.fail(false);
        });
    r.withPropertyValues("toggles.health.stale-status=out-of-service")
        .run(
            ctx -> {
              failing.fail(true);
              syncQuietly(ctx.getBean(Toggles.class));
              Health h = ctx.getBean(TogglesHealthIndicator.class).health();
              assertThat(h.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
              failing.fail(false);
              ctx.getBean(Toggles.class).sync();
              assertThat(ctx.getBean(TogglesHealthIndicator.class).health().getStatus())
                  .isEqualTo(Status.UP);
            });
  }

  @Test
  void errorIsDown() {
    RecordingStore failing = new RecordingStore(store);
    failing.fail(true); // down from the start: nothing ever loaded
    new ApplicationContextRunner()
        .withConfiguration(Fixtures.TOGGLES)
        .withBean(ToggleStore.class, () -> failing)
        .withPropertyValues("toggles.sync-interval=0")
        .run(
            ctx -> {
              Health h = ctx.getBean(TogglesHealthIndicator.class).health();
              assertThat(h.getStatus()).isEqualTo(Status.DOWN);
              assertThat(h.getDetails()).containsEntry("state", "ERROR");
              assertThat((String) h.getDetails().get("lastError")).contains("store down");
            });
  }

  @Test
  void theHealthIndicatorCanBeTurnedOffAndReplaced() {
    runner
        .withPropertyValues("management.health.toggles.enabled=false")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(TogglesHealthIndicator.class));
    TogglesHealthIndicator mine =
        new TogglesHealthIndicator(
            Toggles.builder(store).syncInterval(Duration.ZERO).build(),
            TogglesProperties.StaleStatus.UP);
    runner
        .withBean("togglesHealthIndicator", TogglesHealthIndicator.class, () -> mine)
        .run(ctx -> assertThat(ctx.getBean(TogglesHealthIndicator.class)).isSameAs(mine));
  }

  @Test
  void withoutActuatorThereIsNoHealthIndicatorNorEndpoint() {
    runner
        .withClassLoader(
            new FilteredClassLoader(
                "org.springframework.boot.health", "org.springframework.boot.actuate"))
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(Toggles.class);
              assertThat(ctx).doesNotHaveBean(TogglesHealthIndicator.class);
              assertThat(ctx).doesNotHaveBean(TogglesEndpoint.class);
            });
  }

  @Test
  void theEndpointCanBeDisabled() {
    runner.run(ctx -> assertThat(ctx).hasSingleBean(TogglesEndpoint.class));
    runner
        .withPropertyValues("management.endpoint.toggles.access=NONE")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(TogglesEndpoint.class));
  }

  @Test
  void endpointReadsAnswerWithoutWritesOn() {
    Fixtures.newCheckoutOn(store);
    runner.run(
        ctx -> {
          authenticate("viewer", "ROLE_USER");
          TogglesEndpoint e = ctx.getBean(TogglesEndpoint.class);
          WebEndpointResponse<Map<String, Object>> summary = e.summary(security("viewer"), 5);
          assertThat(summary.getStatus()).isEqualTo(200);
          assertThat(summary.getBody().toString()).contains("new-checkout");
          assertThat(summary.getBody()).containsKey("history");
          WebEndpointResponse<Map<String, Object>> eval =
              e.view(security("viewer"), "new-checkout", "eval", "merchant=m-7&country=NL", null);
          assertThat(eval.getStatus()).isEqualTo(200);
          assertThat(eval.getBody()).containsEntry("value", "true").containsEntry("outcome", "row");
          assertThat(e.feature(security("viewer"), "new-checkout", null, null).getBody())
              .containsEntry("rowCount", 1);
          assertThat(
                  e.view(security("viewer"), "new-checkout", "history", null, 1)
                      .getBody()
                      .get("history"))
              .asInstanceOf(InstanceOfAssertFactories.LIST)
              .hasSize(1);
        });
  }

  @Test
  void endpointRefusesBadInputWithItsMessage() {
    runner.run(
        ctx -> {
          authenticate("viewer", "ROLE_USER");
          TogglesEndpoint e = ctx.getBean(TogglesEndpoint.class);
          WebEndpointResponse<Map<String, Object>> r =
              e.view(security("viewer"), "new-checkout", "eval", "tenant=t-1", null);
          assertThat(r.getStatus()).isEqualTo(400);
          assertThat(r.getBody().get("message").toString()).contains("unknown dimension 'tenant'");
          assertThat(e.view(security("viewer"), "new-checkout", "nope", null, null).getStatus())
              .isEqualTo(400);
          assertThat(e.feature(security("viewer"), "bad key!", null, null).getStatus())
              .isEqualTo(400);
        });
  }

  @Test
  void endpointWritesAreOffByDefault() {
    Fixtures.newCheckoutOn(store);
    runner.run(
        ctx -> {
          authenticate("oncall", "TOGGLES_ADMIN");
          WebEndpointResponse<Map<String, Object>> r =
              ctx.getBean(TogglesEndpoint.class)
                  .write(security("oncall"), "new-checkout", "kill", "INC-1", null, null, null);
          assertThat(r.getStatus()).isEqualTo(403);
          assertThat(r.getBody().get("message").toString()).contains("toggles.actuator.writes");
          assertThat(store.read("new-checkout").killed()).isFalse();
        });
  }

  @Test
  void endpointWritesNeedTheAuthorityAndAReason() {
    Fixtures.newCheckoutOn(store);
    runner
        .withPropertyValues("toggles.actuator.writes=true")
        .run(
            ctx -> {
              TogglesEndpoint e = ctx.getBean(TogglesEndpoint.class);
              authenticate("viewer", "ROLE_USER");
              assertThat(
                      e.write(security("viewer"), "new-checkout", "kill", "INC-1", null, null, null)
                          .getStatus())
                  .isEqualTo(403);
              authenticate("oncall", "TOGGLES_ADMIN");
              WebEndpointResponse<Map<String, Object>> noReason =
                  e.write(security("oncall"), "new-checkout", "kill", " ", null, null, null);
              assertThat(noReason.getStatus()).isEqualTo(400);
              assertThat(noReason.getBody().get("message").toString()).contains("reason");
              assertThat(store.read("new-checkout").killed()).isFalse();
              WebEndpointResponse<Map<String, Object>> ok =
                  e.write(security("oncall"), "new-checkout", "kill", "INC-1", null, null, null);
              assertThat(ok.getStatus()).isEqualTo(200);
              assertThat(store.read("new-checkout").killed()).isTrue();
              assertThat(store.history(java.util.Optional.empty(), 1).get(0).actor())
                  .isEqualTo("oncall");
              assertThat(
                      ctx.getBean(Toggles.class)
                          .isEnabled(
                              "new-checkout",
                              ctx.getBean(Toggles.class).hierarchy().context().build()))
                  .isFalse(); // this node synced after the write
            });
  }

  @Test
  void endpointWritesGoThroughTheWriteRules() {
    Fixtures.newCheckoutOn(store);
    runner
        .withPropertyValues("toggles.actuator.writes=true", "toggles.actuator.authority=FLAGS")
        .run(
            ctx -> {
              TogglesEndpoint e = ctx.getBean(TogglesEndpoint.class);
              authenticate("oncall", "FLAGS");
              WebEndpointResponse<Map<String, Object>> set =
                  e.write(
                      security("oncall"),
                      "new-checkout",
                      "set",
                      "CHK-9 off for m-7",
                      false,
                      Map.of("merchant", "m-7"),
                      0L);
              assertThat(set.getStatus()).isEqualTo(200);
              long version =
                  store.read("new-checkout").rows().stream()
                      .filter(s -> s.scope().value("merchant").isPresent())
                      .findFirst()
                      .orElseThrow()
                      .version();
              // expectVersion 0 means "must not exist": the row exists now, so this conflicts.
              assertThat(
                      e.write(
                              security("oncall"),
                              "new-checkout",
                              "set",
                              "again",
                              true,
                              Map.of("merchant", "m-7"),
                              0L)
                          .getStatus())
                  .isEqualTo(409);
              assertThat(
                      e.write(security("oncall"), "new-checkout", "set", "x", "maybe", null, null)
                          .getStatus())
                  .isEqualTo(400); // not a boolean
              assertThat(
                      e.write(security("oncall"), "new-checkout", "set", "x", 0.5, null, null)
                          .getStatus())
                  .isEqualTo(400); // lossy number refused
              assertThat(
                      e.write(security("oncall"), "undeclared", "set", "x", true, null, null)
                          .getStatus())
                  .isEqualTo(404);
              long rev = store.history(java.util.Optional.empty(), 1).get(0).revision();
              assertThat(e.revert(security("oncall"), rev, "undo").getStatus()).isEqualTo(200);
              assertThat(version).isPositive();
            });
  }

  @Test
  void withoutSpringSecurityAnEndpointWriteNeedsTheContainerRole() {
    Fixtures.newCheckoutOn(store);
    runner
        .withClassLoader(new FilteredClassLoader(SecurityContextHolder.class))
        .withPropertyValues("toggles.actuator.writes=true")
        .run(
            ctx -> {
              TogglesEndpoint e = ctx.getBean(TogglesEndpoint.class);
              assertThat(
                      e.write(role("viewer", "USER"), "new-checkout", "kill", "r", null, null, null)
                          .getStatus())
                  .isEqualTo(403);
              assertThat(
                      e.write(SecurityContext.NONE, "new-checkout", "kill", "r", null, null, null)
                          .getStatus())
                  .isEqualTo(403);
              assertThat(
                      e.write(
                              role("oncall", "TOGGLES_ADMIN"),
                              "new-checkout",
                              "kill",
                              "r",
                              null,
                              null,
                              null)
                          .getStatus())
                  .isEqualTo(200);
            });
  }

  @Test
  void metersFromThePublicApi() {
    Fixtures.newCheckoutOn(store);
    store.define(FeatureDefinition.bool("other"), Audit.of("test", "a second feature"));
    runner.run(
        ctx -> {
          MeterRegistry registry = boundRegistry(ctx);
          Toggles toggles = ctx.getBean(Toggles.class);
          toggles.sync();
          assertThat(registry.get("toggles.revision").gauge().value())
              .isEqualTo((double) toggles.revision());
          assertThat(registry.get("toggles.state").tag("state", "ready").gauge().value())
              .isEqualTo(1.0);
          assertThat(registry.get("toggles.state").tag("state", "stale").gauge().value()).isZero();
          assertThat(registry.get("toggles.snapshot.serving").gauge().value()).isZero();
          assertThat(registry.get("toggles.staleness").timeGauge().value()).isNotNegative();
          assertThat(registry.get("toggles.features.cached").gauge().value()).isEqualTo(2.0);
          store.define(FeatureDefinition.bool("third"), Audit.of("test", "one more"));
          toggles.sync();
          assertThat(registry.get("toggles.features.cached").gauge().value()).isEqualTo(3.0);
          // Evaluation counts are off by default: no series.
          toggles.isEnabled("new-checkout", toggles.hierarchy().context().build());
          toggles.sync();
          assertThat(registry.find("toggles.evaluations").functionCounters()).isEmpty();
        });
  }

  @Test
  void syncMetersRecordEverySyncOfTheRealToggles() {
    Instant commit = Instant.parse("2026-06-01T12:00:00Z");
    InMemoryStore stamped = InMemoryStore.create(Hierarchy.DEFAULT, Clock.fixed(commit, UTC));
    RecordingStore failing = new RecordingStore(stamped);
    AtomicLong nanos = new AtomicLong();
    Fixtures.newCheckoutOn(stamped);
    new ApplicationContextRunner()
        .withConfiguration(Fixtures.TOGGLES)
        .withBean(ToggleStore.class, () -> failing)
        .withBean(
            TogglesBuilderCustomizer.class,
            () -> b -> b.clock(() -> commit.plusMillis(250)).ticker(nanos::get))
        .withPropertyValues("toggles.sync-interval=0")
        .run(
            ctx -> {
              MeterRegistry registry = boundRegistry(ctx);
              Toggles toggles = ctx.getBean(Toggles.class);
              Timer ok = registry.get("toggles.sync.duration").tag("outcome", "success").timer();
              Timer failed =
                  registry.get("toggles.sync.duration").tag("outcome", "failure").timer();
              Timer lag = registry.get("toggles.change.lag").timer();

              // A write committed at 12:00:00.000 by the store's clock is published at .250 by
              // the node's; the sync that applies it reads the store 40 ms into it (ticker).
              AtomicBoolean armed = new AtomicBoolean(true);
              failing.beforeRead(
                  () -> {
                    if (armed.getAndSet(false)) {
                      nanos.addAndGet(Duration.ofMillis(40).toNanos());
                    }
                  });
              stamped.kill("new-checkout", Audit.of("oncall", "INC-1"));
              toggles.sync();
              Wait.until(Duration.ofSeconds(20), () -> lag.count() == 1);
              assertThat(lag.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250.0);
              assertThat(ok.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40.0);
              assertThat(failed.count()).isZero();

              failing.fail(true);
              syncQuietly(toggles);
              Wait.until(Duration.ofSeconds(20), () -> failed.count() == 1);
              assertThat(registry.get("toggles.sync.failures").counter().count()).isEqualTo(1.0);
              assertThat(lag.count()).isEqualTo(1); // only a sync that applied changes has a lag
              failing.fail(false);
            });
  }

  @Test
  void evaluationCountsAreFunctionCountersPerFeatureAndOutcome() {
    Fixtures.newCheckoutOn(store);
    store.define(FeatureDefinition.bool("unchecked"), Audit.of("test", "never checked"));
    runner
        .withPropertyValues("toggles.metrics.evaluations=true")
        .run(
            ctx -> {
              MeterRegistry registry = boundRegistry(ctx);
              Toggles toggles = ctx.getBean(Toggles.class);
              Context global = toggles.hierarchy().context().build();
              Feature handle = toggles.feature("new-checkout");
              for (int i = 0; i < 3; i++) {
                toggles.isEnabled("new-checkout", global);
              }
              handle.isEnabled(global);
              toggles.getString("new-checkout", global, "x"); // a boolean asked for as a string
              toggles.sync(); // the first sync after a first check registers its pair
              Wait.until(
                  Duration.ofSeconds(20),
                  () -> registry.find("toggles.evaluations").functionCounters().size() == 2);
              assertThat(evaluations(registry, "new-checkout", "true")).isEqualTo(4.0);
              assertThat(evaluations(registry, "new-checkout", "caller-default")).isEqualTo(1.0);
              assertThat(registry.find("toggles.evaluations").tag("feature", "unchecked").meters())
                  .isEmpty();

              handle.isEnabled(global); // pulled when read: no sync needed
              assertThat(evaluations(registry, "new-checkout", "true")).isEqualTo(5.0);
              store.kill("new-checkout", Audit.of("oncall", "INC-2"));
              toggles.sync();
              handle.isEnabled(global);
              toggles.sync();
              Wait.until(
                  Duration.ofSeconds(20),
                  () ->
                      registry.find("toggles.evaluations").tag("outcome", "false").meters().size()
                          == 1);
              assertThat(evaluations(registry, "new-checkout", "false")).isEqualTo(1.0);
              assertThat(evaluations(registry, "new-checkout", "true")).isEqualTo(5.0);
            });
  }

  /** A registry the context's meters are bound to. */
  private static MeterRegistry boundRegistry(ApplicationContext ctx) {
    MeterRegistry registry = new SimpleMeterRegistry();
    ctx.getBean(TogglesMetrics.class).bindTo(registry);
    return registry;
  }

  private static double evaluations(MeterRegistry registry, String feature, String outcome) {
    return registry
        .get("toggles.evaluations")
        .tag("feature", feature)
        .tag("outcome", outcome)
        .functionCounter()
        .count();
  }

  @Test
  void destroyedMetricsRecordNoMoreSyncs() {
    try (Toggles toggles = Toggles.builder(store).syncInterval(Duration.ZERO).build()) {
      TogglesMetrics metrics = new TogglesMetrics(toggles);
      MeterRegistry registry = new SimpleMeterRegistry();
      metrics.bindTo(registry);
      Timer ok = registry.get("toggles.sync.duration").tag("outcome", "success").timer();
      toggles.sync();
      Wait.until(Duration.ofSeconds(20), () -> ok.count() == 1);
      metrics.destroy();
      AtomicLong heard = new AtomicLong();
      toggles.subscribe(
          new TogglesListener() {
            @Override
            public void onSync(Synced event) {
              heard.incrementAndGet();
            }
          });
      toggles.sync();
      Wait.until(Duration.ofSeconds(20), () -> heard.get() == 1);
      assertThat(ok.count()).isEqualTo(1);
    }
  }

  @Test
  void withoutMicrometerNoMeters() {
    runner
        .withClassLoader(new FilteredClassLoader("io.micrometer"))
        .run(
            ctx ->
                assertThat(ctx).hasSingleBean(Toggles.class).doesNotHaveBean(TogglesMetrics.class));
  }

  @Test
  void aUsersMetricsWin() {
    TogglesMetrics mine =
        new TogglesMetrics(Toggles.builder(store).syncInterval(Duration.ZERO).build());
    runner
        .withBean(TogglesMetrics.class, () -> mine)
        .run(ctx -> assertThat(ctx.getBean(TogglesMetrics.class)).isSameAs(mine));
  }

  private static void syncQuietly(Toggles toggles) {
    try {
      toggles.sync();
    } catch (RuntimeException expected) {
      // the store is down: health says so
    }
  }

  private static void authenticate(String name, String... authorities) {
    TestingAuthenticationToken auth = new TestingAuthenticationToken(name, "n/a", authorities);
    auth.setAuthenticated(true);
    SecurityContextHolder.getContext().setAuthentication(auth);
  }

  private static SecurityContext security(String name) {
    return role(name);
  }

  private static SecurityContext role(String name, String... roles) {
    Principal p = () -> name;
    java.util.Set<String> set = java.util.Set.of(roles);
    return new SecurityContext() {
      @Override
      public Principal getPrincipal() {
        return p;
      }

      @Override
      public boolean isUserInRole(String role) {
        return set.contains(role);
      }
    };
  }
}
