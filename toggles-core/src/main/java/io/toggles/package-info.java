/**
 * Feature toggles with hierarchical scopes.
 *
 * <p>Start with {@link io.toggles.Toggles#builder(io.toggles.spi.ToggleStore)}. A check names a
 * feature and a {@link io.toggles.Context}; the most specific matching {@link io.toggles.Setting}
 * wins by the precedence of the {@link io.toggles.Hierarchy}.
 */
@NullMarked
package io.toggles;

import org.jspecify.annotations.NullMarked;
