package io.toggles.spring.boot.autoconfigure;

import io.toggles.ToggleAdmin;
import io.toggles.Toggles;
import io.toggles.servlet.AdminAuthorizer;
import io.toggles.servlet.ContextExtractor;
import io.toggles.servlet.RequestScopeExtractor;
import io.toggles.servlet.TogglesAdminServlet;
import io.toggles.servlet.TogglesFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingFilterBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Toggles in a servlet application: the {@link TogglesFilter} on every request (so that {@code
 * RequestContext.current()} holds the request's scope), and the admin servlet only when {@code
 * toggles.admin.enabled=true}. The admin servlet writes only with {@code
 * toggles.admin.allow-writes=true}, and then only for a caller with {@code toggles.admin.authority}
 * (see {@link TogglesAccess}); its own request checks (JSON content type, the {@code
 * X-Toggles-Admin} header, same origin) apply as without Spring.
 */
@AutoConfiguration(after = TogglesAutoConfiguration.class)
@ConditionalOnClass({TogglesFilter.class, Filter.class, FilterRegistrationBean.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean(Toggles.class)
public class TogglesWebAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public TogglesWebAutoConfiguration() {}

  /**
   * Reads each request's scope from {@code X-Toggles-<dimension>} headers, then query parameters
   * named after the dimensions.
   */
  @Bean
  @ConditionalOnMissingBean
  public ContextExtractor togglesContextExtractor(Toggles toggles, TogglesProperties properties) {
    return RequestScopeExtractor.builder(toggles.hierarchy())
        .onInvalid(
            properties.web().rejectInvalid()
                ? RequestScopeExtractor.OnInvalid.REJECT
                : RequestScopeExtractor.OnInvalid.DROP)
        .build();
  }

  /** The filter, unless {@code toggles.web.filter-enabled=false} or the application has one. */
  @Bean
  @ConditionalOnMissingFilterBean(TogglesFilter.class)
  @ConditionalOnBooleanProperty(name = "toggles.web.filter-enabled", matchIfMissing = true)
  public FilterRegistrationBean<TogglesFilter> togglesFilter(
      ContextExtractor extractor, TogglesProperties properties) {
    FilterRegistrationBean<TogglesFilter> r =
        new FilterRegistrationBean<>(TogglesFilter.of(extractor));
    r.setName("togglesFilter");
    r.setOrder(properties.web().filterOrder());
    r.setUrlPatterns(properties.web().urlPatterns());
    r.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
    return r;
  }

  /** The admin servlet, registered only when enabled. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBooleanProperty("toggles.admin.enabled")
  @ConditionalOnClass(TogglesAdminServlet.class)
  @ConditionalOnBean(ToggleAdmin.class)
  public static class Admin {

    /** Creates the configuration; Spring calls it. */
    public Admin() {}

    /** Reads per {@link TogglesAccess#mayRead}; writes need {@code toggles.admin.authority}. */
    @Bean
    @ConditionalOnMissingBean
    public AdminAuthorizer togglesAdminAuthorizer(
        TogglesAccess access, TogglesProperties properties) {
      String authority = properties.admin().authority();
      return (request, action) ->
          action.isWrite()
              ? access
                  .writer(authority, request.getUserPrincipal(), request::isUserInRole)
                  .isPresent()
              : access.mayRead(request.getUserPrincipal());
    }

    /** The servlet at {@code toggles.admin.path}. */
    @Bean
    @ConditionalOnMissingBean(name = "togglesAdminServlet")
    public ServletRegistrationBean<TogglesAdminServlet> togglesAdminServlet(
        Toggles toggles,
        ToggleAdmin admin,
        AdminAuthorizer authorizer,
        TogglesProperties properties) {
      TogglesProperties.Admin p = properties.admin();
      TogglesAdminServlet.Builder b =
          TogglesAdminServlet.builder(toggles, admin)
              .authorizer(authorizer)
              .allowWrites(p.allowWrites())
              .allowedOrigins(p.allowedOrigins().toArray(String[]::new));
      if (p.serverName() != null) {
        b.serverName(p.serverName());
      }
      TogglesAdminServlet servlet = b.build();
      ServletRegistrationBean<TogglesAdminServlet> r =
          new ServletRegistrationBean<>(servlet, p.path() + "/*");
      r.setName("togglesAdminServlet");
      return r;
    }
  }
}
