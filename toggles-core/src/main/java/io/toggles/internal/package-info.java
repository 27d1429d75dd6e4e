/**
 * Implementation shared by the toggles modules. <strong>No compatibility promise:</strong> the
 * types here are public only so that sibling modules ({@code toggles-cli}, {@code toggles-servlet})
 * can use them; they may change or disappear in any release. Applications use {@link io.toggles}
 * and {@link io.toggles.spi} instead.
 */
@NullMarked
package io.toggles.internal;

import org.jspecify.annotations.NullMarked;
