/**
 * The JDBC store: {@link io.toggles.jdbc.JdbcStore} keeps features, rows, kill switches and the
 * change log in H2, PostgreSQL or MySQL/MariaDB tables, and is both the read SPI ({@link
 * io.toggles.spi.ToggleStore}) and the write API ({@link io.toggles.ToggleAdmin}).
 *
 * <p>Public API: {@link io.toggles.jdbc.JdbcStore}, {@link io.toggles.jdbc.Dialect}, {@link
 * io.toggles.jdbc.SchemaStatus}, {@link io.toggles.jdbc.StoreStats} and {@link
 * io.toggles.jdbc.Unreadable}. Everything else is package-private and has no compatibility promise,
 * one concern per file behind the {@code JdbcStore} facade: {@code Schema} (DDL, version, upgrade),
 * {@code Reads}, {@code RowMapping}, {@code JdbcTransaction} (the write primitives the core write
 * engine runs), {@code Pool}, {@code Sql} (with what differs per database in {@code Dialect}),
 * {@code Repairs}, {@code Locator} and {@code PgListener}.
 */
@NullMarked
package io.toggles.jdbc;

import org.jspecify.annotations.NullMarked;
