/**
 * The JDBC store: {@link io.toggles.jdbc.JdbcStore} keeps features, rows, kill switches and the
 * change log in H2, PostgreSQL or MySQL/MariaDB tables, and is both the read SPI ({@link
 * io.toggles.spi.ToggleStore}) and the write API ({@link io.toggles.ToggleAdmin}).
 *
 * <p>Public API: {@link io.toggles.jdbc.JdbcStore}, {@link io.toggles.jdbc.Dialect}, {@link
 * io.toggles.jdbc.SchemaStatus} and {@link io.toggles.jdbc.StoreStats}. Everything else is
 * package-private and has no compatibility promise.
 */
@NullMarked
package io.toggles.jdbc;

import org.jspecify.annotations.NullMarked;
