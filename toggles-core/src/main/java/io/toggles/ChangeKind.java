package io.toggles;

/** What a change-log entry did. */
public enum ChangeKind {
  /** Declared a feature or changed its declaration. */
  DEFINE,
  /** Created or changed one row. */
  SET,
  /** Removed one row. */
  UNSET,
  /** Turned the feature's kill switch on. */
  KILL,
  /** Turned the feature's kill switch off. */
  UNKILL
}
