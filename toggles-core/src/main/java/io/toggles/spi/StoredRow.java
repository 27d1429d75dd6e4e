package io.toggles.spi;

import io.toggles.Scope;
import java.util.Objects;

/**
 * A settings row as a store holds it, read inside a {@link WriteTransaction}: its scope, its value
 * as stored text (which may not parse as the feature's type if it was written by hand) and its
 * version.
 *
 * @param scope the row's scope
 * @param text the stored value text
 * @param version the row's version
 */
public record StoredRow(Scope scope, String text, long version) {

  /** Checks that neither part is null. */
  public StoredRow {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(text, "text");
  }
}
