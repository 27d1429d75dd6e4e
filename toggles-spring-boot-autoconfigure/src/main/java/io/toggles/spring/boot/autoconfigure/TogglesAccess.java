package io.toggles.spring.boot.autoconfigure;

import java.security.Principal;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Who may read and write through the starter's web surfaces (the admin servlet and the Actuator
 * endpoint). The auto-configured one asks Spring Security when it is on the class path (an
 * authenticated caller reads; one granted the authority writes), else the servlet container (its
 * principal reads; its role of that name writes). Define a bean of this type to decide otherwise.
 * Thread-safe.
 */
public interface TogglesAccess {

  /**
   * Whether the caller may read.
   *
   * @param principal the request's principal, if any
   */
  boolean mayRead(@Nullable Principal principal);

  /**
   * The actor to record if the caller may write with {@code authority}, else empty.
   *
   * @param authority the authority (or container role) writes need
   * @param principal the request's principal, if any
   * @param containerRole whether the servlet container gives the caller a role
   */
  Optional<String> writer(
      String authority, @Nullable Principal principal, Predicate<String> containerRole);
}
