package io.toggles.jdbc;

/**
 * Counts of what a {@link JdbcStore} holds, read in one query.
 *
 * @param revision the store's current revision
 * @param featureCount declared features
 * @param rowCount setting rows
 * @param changeCount change-log entries
 */
public record StoreStats(long revision, long featureCount, long rowCount, long changeCount) {

  /**
   * Validates the counts.
   *
   * @throws IllegalArgumentException if any is negative
   */
  public StoreStats {
    if (revision < 0 || featureCount < 0 || rowCount < 0 || changeCount < 0) {
      throw new IllegalArgumentException("store statistics cannot be negative");
    }
  }
}
