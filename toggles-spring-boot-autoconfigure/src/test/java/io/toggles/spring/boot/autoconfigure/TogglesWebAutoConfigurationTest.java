package io.toggles.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.toggles.Change;
import io.toggles.Hierarchy;
import io.toggles.InMemoryStore;
import io.toggles.ToggleAdmin;
import io.toggles.servlet.ContextExtractor;
import io.toggles.servlet.RequestContext;
import io.toggles.servlet.TogglesAdminServlet;
import io.toggles.servlet.TogglesFilter;
import jakarta.servlet.http.HttpServlet;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

/** The filter and the admin servlet: registration, properties, and who may write. */
class TogglesWebAutoConfigurationTest {
  private final InMemoryStore store = InMemoryStore.create(Hierarchy.DEFAULT);
  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(Fixtures.TOGGLES)
          .withBean(InMemoryStore.class, () -> store)
          .withPropertyValues("toggles.sync-interval=0");

  @AfterEach
  void clearSecurity() {
    SecurityContextHolder.clearContext();
  }

  @Test
  void theFilterIsRegisteredByDefaultOnEveryRequest() {
    runner.run(
        ctx -> {
          FilterRegistrationBean<?> r = ctx.getBean("togglesFilter", FilterRegistrationBean.class);
          assertThat(r.getFilter()).isInstanceOf(TogglesFilter.class);
          assertThat(r.getUrlPatterns()).containsExactly("/*");
          assertThat(r.getOrder()).isZero();
        });
  }

  @Test
  void filterOrderAndPatternsComeFromProperties() {
    runner
        .withPropertyValues(
            "toggles.web.filter-order=-200", "toggles.web.url-patterns=/shop/*,/api/*")
        .run(
            ctx -> {
              FilterRegistrationBean<?> r =
                  ctx.getBean("togglesFilter", FilterRegistrationBean.class);
              assertThat(r.getUrlPatterns()).containsExactly("/shop/*", "/api/*");
              assertThat(r.getOrder()).isEqualTo(-200);
            });
  }

  @Test
  void filterEnabledFalseRegistersNoFilter() {
    runner
        .withPropertyValues("toggles.web.filter-enabled=false")
        .run(ctx -> assertThat(ctx).doesNotHaveBean("togglesFilter"));
  }

  @Test
  void aUsersFilterRegistrationAndExtractorWin() {
    runner
        .withUserConfiguration(OwnFilter.class)
        .run(
            ctx -> {
              assertThat(ctx).doesNotHaveBean("togglesFilter").hasBean("myFilter");
              assertThat(ctx.getBean(ContextExtractor.class)).isSameAs(OwnFilter.MINE);
            });
  }

  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  static class OwnFilter {
    static final ContextExtractor MINE =
        request -> Hierarchy.DEFAULT.context().with("country", "NL").build();

    @org.springframework.context.annotation.Bean
    ContextExtractor myExtractor() {
      return MINE;
    }

    @org.springframework.context.annotation.Bean
    FilterRegistrationBean<TogglesFilter> myFilter() {
      return new FilterRegistrationBean<>(TogglesFilter.of(MINE));
    }
  }

  @Test
  void theFilterBindsTheRequestsScope() throws Exception {
    runner.run(
        ctx -> {
          TogglesFilter filter =
              (TogglesFilter)
                  ctx.getBean("togglesFilter", FilterRegistrationBean.class).getFilter();
          MockHttpServletRequest request = new MockHttpServletRequest("GET", "/checkout");
          request.addHeader("X-Toggles-Merchant", "m-7");
          AtomicReference<Optional<String>> seen = new AtomicReference<>();
          filter.doFilter(
              request,
              new MockHttpServletResponse(),
              new MockFilterChain(
                  new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void service(
                        jakarta.servlet.http.HttpServletRequest req,
                        jakarta.servlet.http.HttpServletResponse res) {
                      seen.set(RequestContext.current().value("merchant"));
                    }
                  }));
          assertThat(seen.get()).contains("m-7");
        });
  }

  @Test
  void rejectInvalidAnswers400ForAMalformedScopeValue() {
    runner
        .withPropertyValues("toggles.web.reject-invalid=true")
        .run(
            ctx ->
                assertThat(filterStatus(ctx.getBean("togglesFilter", FilterRegistrationBean.class)))
                    .isEqualTo(400));
    runner.run(
        ctx ->
            assertThat(filterStatus(ctx.getBean("togglesFilter", FilterRegistrationBean.class)))
                .isEqualTo(200));
  }

  private static int filterStatus(FilterRegistrationBean<?> r) throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/checkout");
    request.addHeader("X-Toggles-Merchant", " padded ");
    MockHttpServletResponse response = new MockHttpServletResponse();
    r.getFilter().doFilter(request, response, new MockFilterChain());
    return response.getStatus();
  }

  @Test
  void theAdminServletIsOffByDefault() {
    runner.run(
        ctx -> {
          assertThat(ctx).doesNotHaveBean("togglesAdminServlet");
          assertThat(ctx.getBeansOfType(ServletRegistrationBean.class)).isEmpty();
        });
  }

  @Test
  void enabledTheAdminServletIsMountedAtItsPath() {
    runner
        .withPropertyValues("toggles.admin.enabled=true", "toggles.admin.path=/ops/flags")
        .run(
            ctx -> {
              ServletRegistrationBean<?> r = admin(ctx);
              assertThat(r.getServlet()).isInstanceOf(TogglesAdminServlet.class);
              assertThat(r.getUrlMappings()).containsExactly("/ops/flags/*");
            });
  }

  @Test
  void withSpringSecurityAWriteNeedsTheAuthority() {
    Fixtures.newCheckoutOn(store);
    runner
        .withPropertyValues("toggles.admin.enabled=true", "toggles.admin.allow-writes=true")
        .run(
            ctx -> {
              assertThat(ctx.getBean(TogglesAccess.class)).isInstanceOf(SpringSecurityAccess.class);
              authenticate("viewer", "ROLE_USER");
              assertThat(kill(admin(ctx), null).getStatus()).isEqualTo(403);
              assertThat(store.read("new-checkout").killed()).isFalse();
              authenticate("oncall", "TOGGLES_ADMIN");
              assertThat(kill(admin(ctx), null).getStatus()).isEqualTo(200);
              assertThat(latest(store).actor()).isEqualTo("oncall");
            });
  }

  @Test
  void aRoleNamedLikeTheAuthorityIsNotTheAuthority() {
    Fixtures.newCheckoutOn(store);
    runner
        .withPropertyValues("toggles.admin.enabled=true", "toggles.admin.allow-writes=true")
        .run(
            ctx -> {
              authenticate("viewer", "ROLE_TOGGLES_ADMIN");
              assertThat(kill(admin(ctx), null).getStatus()).isEqualTo(403);
            });
  }

  @Test
  void theAuthorityIsAProperty() {
    Fixtures.newCheckoutOn(store);
    runner
        .withPropertyValues(
            "toggles.admin.enabled=true",
            "toggles.admin.allow-writes=true",
            "toggles.admin.authority=FLAGS_WRITE")
        .run(
            ctx -> {
              authenticate("oncall", "TOGGLES_ADMIN");
              ServletRegistrationBean<?> r = admin(ctx);
              assertThat(kill(r, null).getStatus()).isEqualTo(403);
              authenticate("oncall", "FLAGS_WRITE");
              assertThat(kill(r, null).getStatus()).isEqualTo(200);
            });
  }

  @Test
  void withoutAllowWritesEvenTheAuthorityCannotWrite() {
    Fixtures.newCheckoutOn(store);
    runner
        .withPropertyValues("toggles.admin.enabled=true")
        .run(
            ctx -> {
              authenticate("oncall", "TOGGLES_ADMIN");
              MockHttpServletResponse res = kill(admin(ctx), null);
              assertThat(res.getStatus()).isEqualTo(403);
              assertThat(res.getContentAsString()).contains("writes are disabled");
              assertThat(store.read("new-checkout").killed()).isFalse();
            });
  }

  @Test
  void withSpringSecurityAnAnonymousCallerCannotRead() {
    runner
        .withPropertyValues("toggles.admin.enabled=true")
        .run(
            ctx -> {
              ServletRegistrationBean<?> r = admin(ctx);
              assertThat(get(r, "/features").getStatus()).isEqualTo(403);
              authenticate("viewer", "ROLE_USER");
              assertThat(get(r, "/features").getStatus()).isEqualTo(200);
            });
  }

  @Test
  void allowedOriginsLetAnotherOriginWrite() {
    Fixtures.newCheckoutOn(store);
    runner
        .withPropertyValues(
            "toggles.admin.enabled=true",
            "toggles.admin.allow-writes=true",
            "toggles.admin.allowed-origins=https://ops.example")
        .run(
            ctx -> {
              authenticate("oncall", "TOGGLES_ADMIN");
              ServletRegistrationBean<?> r = admin(ctx);
              assertThat(kill(r, "https://evil.example").getStatus()).isEqualTo(403);
              assertThat(kill(r, "https://ops.example").getStatus()).isEqualTo(200);
            });
  }

  @Test
  void serverNameLetsTheServletsOwnOriginWrite() {
    Fixtures.newCheckoutOn(store);
    // The mock request's own origin is http://localhost: refused unless it is the server name.
    for (String name : List.of("", "localhost")) {
      runner
          .withPropertyValues(
              "toggles.admin.enabled=true",
              "toggles.admin.allow-writes=true",
              name.isEmpty() ? "unrelated=1" : "toggles.admin.server-name=" + name)
          .run(
              ctx -> {
                authenticate("oncall", "TOGGLES_ADMIN");
                assertThat(kill(admin(ctx), "http://localhost").getStatus())
                    .isEqualTo(name.isEmpty() ? 403 : 200);
              });
    }
  }

  @Test
  void withoutSpringSecurityAWriteNeedsTheContainerRole() {
    Fixtures.newCheckoutOn(store);
    runner
        .withClassLoader(new FilteredClassLoader(SecurityContextHolder.class))
        .withPropertyValues("toggles.admin.enabled=true", "toggles.admin.allow-writes=true")
        .run(
            ctx -> {
              assertThat(ctx.getBean(TogglesAccess.class)).isInstanceOf(ContainerAccess.class);
              ServletRegistrationBean<?> r = admin(ctx);
              MockHttpServletRequest noRole = killRequest(null);
              noRole.setUserPrincipal(() -> "viewer");
              assertThat(serve(r, noRole).getStatus()).isEqualTo(403);
              MockHttpServletRequest anonymous = killRequest(null);
              anonymous.addUserRole("TOGGLES_ADMIN");
              assertThat(serve(r, anonymous).getStatus()).isEqualTo(403);
              MockHttpServletRequest withRole = killRequest(null);
              withRole.setUserPrincipal(() -> "oncall");
              withRole.addUserRole("TOGGLES_ADMIN");
              assertThat(serve(r, withRole).getStatus()).isEqualTo(200);
              assertThat(latest(store).actor()).isEqualTo("oncall");
              assertThat(get(r, "/features").getStatus())
                  .isEqualTo(200); // reads: as the path allows
            });
  }

  @Test
  void aUsersAccessWins() {
    TogglesAccess nobody =
        new TogglesAccess() {
          @Override
          public boolean mayRead(java.security.Principal principal) {
            return false;
          }

          @Override
          public Optional<String> writer(
              String authority,
              java.security.Principal principal,
              java.util.function.Predicate<String> containerRole) {
            return Optional.empty();
          }
        };
    runner
        .withBean(TogglesAccess.class, () -> nobody)
        .withPropertyValues("toggles.admin.enabled=true")
        .run(
            ctx -> {
              authenticate("viewer", "TOGGLES_ADMIN");
              assertThat(get(admin(ctx), "/features").getStatus()).isEqualTo(403);
            });
  }

  @Test
  void notAWebApplicationNoFilterNoServlet() {
    new ApplicationContextRunner()
        .withConfiguration(Fixtures.TOGGLES)
        .withBean(InMemoryStore.class, () -> store)
        .withPropertyValues("toggles.admin.enabled=true")
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(io.toggles.Toggles.class);
              assertThat(ctx)
                  .doesNotHaveBean("togglesFilter")
                  .doesNotHaveBean("togglesAdminServlet");
            });
  }

  private static ServletRegistrationBean<?> admin(
      org.springframework.beans.factory.BeanFactory ctx) {
    return ctx.getBean("togglesAdminServlet", ServletRegistrationBean.class);
  }

  private static Change latest(ToggleAdmin admin) {
    return admin.history(Optional.empty(), 1).get(0);
  }

  private static void authenticate(String name, String... authorities) {
    TestingAuthenticationToken auth = new TestingAuthenticationToken(name, "n/a", authorities);
    auth.setAuthenticated(true);
    SecurityContextHolder.getContext().setAuthentication(auth);
  }

  private static MockHttpServletRequest killRequest(String origin) {
    MockHttpServletRequest request =
        new MockHttpServletRequest("POST", "/admin/toggles/features/new-checkout/kill");
    request.setServletPath("/admin/toggles");
    request.setPathInfo("/features/new-checkout/kill");
    request.setContentType("application/json");
    request.addHeader(TogglesAdminServlet.CSRF_HEADER, "1");
    if (origin != null) {
      request.addHeader("Origin", origin);
    }
    request.setContent("{\"reason\":\"INC-4711 errors\"}".getBytes(StandardCharsets.UTF_8));
    return request;
  }

  private static MockHttpServletResponse kill(ServletRegistrationBean<?> r, String origin)
      throws Exception {
    MockHttpServletRequest request = killRequest(origin);
    if (SecurityContextHolder.getContext().getAuthentication() != null) {
      request.setUserPrincipal(SecurityContextHolder.getContext().getAuthentication());
    }
    return serve(r, request);
  }

  private static MockHttpServletResponse get(ServletRegistrationBean<?> r, String path)
      throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/admin/toggles" + path);
    request.setServletPath("/admin/toggles");
    request.setPathInfo(path);
    return serve(r, request);
  }

  private static MockHttpServletResponse serve(
      ServletRegistrationBean<?> r, MockHttpServletRequest request) throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();
    r.getServlet().service(request, response);
    return response;
  }
}
