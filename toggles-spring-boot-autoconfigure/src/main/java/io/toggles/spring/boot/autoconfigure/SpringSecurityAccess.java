package io.toggles.spring.boot.autoconfigure;

import java.security.Principal;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * {@link TogglesAccess} with Spring Security: an authenticated (not anonymous) caller reads; a
 * write needs the authority granted exactly (no role prefix added), and the authentication's name
 * is the actor. Reads the current thread's security context, as the servlet and endpoint run on the
 * request's thread.
 */
final class SpringSecurityAccess implements TogglesAccess {

  @Override
  public boolean mayRead(@Nullable Principal principal) {
    return current().isPresent();
  }

  @Override
  public Optional<String> writer(
      String authority, @Nullable Principal principal, Predicate<String> containerRole) {
    return current()
        .filter(
            a -> {
              for (GrantedAuthority g : a.getAuthorities()) {
                if (authority.equals(g.getAuthority())) {
                  return true;
                }
              }
              return false;
            })
        .map(Authentication::getName);
  }

  private static Optional<Authentication> current() {
    Authentication a = SecurityContextHolder.getContext().getAuthentication();
    if (a == null || !a.isAuthenticated() || a instanceof AnonymousAuthenticationToken) {
      return Optional.empty();
    }
    String name = a.getName();
    return name == null || name.isBlank() ? Optional.empty() : Optional.of(a);
  }
}
