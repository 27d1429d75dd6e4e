package io.toggles.cli;

import io.toggles.Hierarchy;
import java.util.Optional;

/**
 * Where the toggles live: the resolved connection settings of one command.
 *
 * @param url the JDBC URL, already checked by {@link UrlPolicy}
 * @param user the database user, if any
 * @param password the password, if any; never printed
 * @param hierarchy the scope dimensions of the store
 * @param tablePrefix the prefix of the store's table names, if not the store's default
 */
record Target(
    String url,
    Optional<String> user,
    Optional<String> password,
    Hierarchy hierarchy,
    Optional<String> tablePrefix) {

  /** The URL with any password parameter blanked out, for messages. */
  String displayUrl() {
    return UrlPolicy.redact(url);
  }

  @Override
  public String toString() {
    return "Target[" + displayUrl() + ", user=" + user.orElse("") + ", password=***]";
  }
}
