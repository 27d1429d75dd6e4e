package io.toggles.spring.boot.autoconfigure;

import java.security.Principal;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * {@link TogglesAccess} without Spring Security: anyone who reaches the path reads (protect it as
 * the rest of the application); a write needs the container's principal and its role named like the
 * authority.
 */
final class ContainerAccess implements TogglesAccess {

  @Override
  public boolean mayRead(@Nullable Principal principal) {
    return true;
  }

  @Override
  public Optional<String> writer(
      String authority, @Nullable Principal principal, Predicate<String> containerRole) {
    if (principal == null || principal.getName() == null || principal.getName().isBlank()) {
      return Optional.empty();
    }
    return containerRole.test(authority) ? Optional.of(principal.getName()) : Optional.empty();
  }
}
