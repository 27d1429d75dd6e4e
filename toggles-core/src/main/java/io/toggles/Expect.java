package io.toggles;

/**
 * What a write expects to find, for optimistic concurrency: a write whose expectation does not hold
 * fails with {@link ConflictException} and changes nothing.
 *
 * @param version {@link #ANY_VERSION}, {@link #ABSENT} or a row version from 1
 */
public record Expect(long version) {
  static final long ANY_VERSION = -1;
  static final long ABSENT = 0;

  /**
   * Validates the version.
   *
   * @throws IllegalArgumentException if it is below -1
   */
  public Expect {
    if (version < ANY_VERSION) {
      throw new IllegalArgumentException("expected version must be at least 1, got " + version);
    }
  }

  /** Write whatever is there (last writer wins). */
  public static Expect any() {
    return new Expect(ANY_VERSION);
  }

  /** The row must not exist yet. */
  public static Expect absent() {
    return new Expect(ABSENT);
  }

  /** The row must exist with exactly this version. */
  public static Expect version(long version) {
    if (version < 1) {
      throw new IllegalArgumentException("expected version must be at least 1, got " + version);
    }
    return new Expect(version);
  }

  /** Whether a row of {@code actualVersion} (0 for no row) meets this expectation. */
  public boolean isMetBy(long actualVersion) {
    return version == ANY_VERSION || version == actualVersion;
  }

  @Override
  public String toString() {
    return version == ANY_VERSION ? "any" : version == ABSENT ? "absent" : "version " + version;
  }
}
