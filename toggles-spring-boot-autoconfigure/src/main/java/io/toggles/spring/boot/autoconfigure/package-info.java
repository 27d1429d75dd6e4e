/**
 * Spring Boot auto-configuration for toggles: a {@code JdbcStore} on the application's {@code
 * DataSource}, the {@code Toggles}, the servlet filter and optional admin servlet, an Actuator
 * health indicator and endpoint named {@code toggles}, and Micrometer meters. Every bean backs off
 * when the application defines its own. Configured with {@code toggles.*} properties, see {@link
 * io.toggles.spring.boot.autoconfigure.TogglesProperties}.
 */
@NullMarked
package io.toggles.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
