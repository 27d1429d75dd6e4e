package io.toggles;

/** A value was asked for, or written, as a type other than the feature's. */
public final class WrongTypeException extends TogglesException {
  private static final long serialVersionUID = 1L;

  /** Names the feature, the type asked for and the type it has. */
  public WrongTypeException(String feature, SettingType asked, SettingType actual) {
    super("feature '" + feature + "' is " + actual + ", not " + asked);
  }
}
