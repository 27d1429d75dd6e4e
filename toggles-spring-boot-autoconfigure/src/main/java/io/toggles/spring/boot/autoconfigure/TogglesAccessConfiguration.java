package io.toggles.spring.boot.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The {@link TogglesAccess}: Spring Security's when it is present, else the container's. */
@Configuration(proxyBeanMethods = false)
@Import({
  TogglesAccessConfiguration.WithSpringSecurity.class,
  TogglesAccessConfiguration.Plain.class
})
class TogglesAccessConfiguration {
  static final String SECURITY_CONTEXT_HOLDER =
      "org.springframework.security.core.context.SecurityContextHolder";

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = SECURITY_CONTEXT_HOLDER)
  static class WithSpringSecurity {
    @Bean
    @ConditionalOnMissingBean
    TogglesAccess togglesAccess() {
      return new SpringSecurityAccess();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass(SECURITY_CONTEXT_HOLDER)
  static class Plain {
    @Bean
    @ConditionalOnMissingBean
    TogglesAccess togglesAccess() {
      return new ContainerAccess();
    }
  }
}
