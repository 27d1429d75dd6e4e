package io.toggles.examples.spring;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may do what: shoppers reach {@code /checkout} and the health summary; {@code /actuator/**}
 * and {@code /admin/toggles/**} need HTTP Basic. User {@code viewer} reads; user {@code oncall} has
 * the authority {@code TOGGLES_ADMIN} that toggles' writes need. Passwords come from {@code
 * checkout.viewer-password} and {@code checkout.oncall-password} (demo values by default; the
 * service listens on 127.0.0.1 only). CSRF tokens are not asked of the toggles write paths: they
 * are API calls, and the admin servlet has its own checks (JSON only, its header, same origin).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

  @Bean
  SecurityFilterChain security(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(
            a ->
                a.requestMatchers("/checkout", "/actuator/health", "/actuator/health/**", "/error")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .httpBasic(Customizer.withDefaults())
        .csrf(
            c ->
                c.ignoringRequestMatchers(
                    "/actuator/toggles/**", "/actuator/toggles", "/admin/toggles/**"));
    return http.build();
  }

  @Bean
  UserDetailsService users(
      @Value("${checkout.viewer-password:viewer-demo}") String viewer,
      @Value("${checkout.oncall-password:oncall-demo}") String oncall) {
    return new InMemoryUserDetailsManager(
        User.withUsername("viewer").password("{noop}" + viewer).authorities("ROLE_USER").build(),
        User.withUsername("oncall")
            .password("{noop}" + oncall)
            .authorities("ROLE_USER", "TOGGLES_ADMIN")
            .build());
  }
}
