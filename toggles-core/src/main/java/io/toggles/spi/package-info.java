/**
 * The store SPI: what a storage backend implements so that {@link io.toggles.Toggles} can load
 * settings and follow changes. {@code toggles-jdbc} implements it over JDBC; {@link
 * io.toggles.InMemoryStore} implements it in memory.
 */
@NullMarked
package io.toggles.spi;

import org.jspecify.annotations.NullMarked;
