package io.toggles;

/**
 * Who makes a change and why; recorded in the change log with every write.
 *
 * @param actor a person or system, 1 to 200 characters
 * @param reason why, 1 to 1,000 characters: an incident number, a ticket, a sentence
 */
public record Audit(String actor, String reason) {

  /**
   * Validates both.
   *
   * @throws IllegalArgumentException if either is blank or too long
   */
  public Audit {
    if (actor == null || actor.isBlank()) {
      throw new IllegalArgumentException("actor is blank: say who makes the change");
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("reason is blank: say why the change is made");
    }
    if (actor.length() > 200) {
      throw new IllegalArgumentException("actor is longer than 200 characters");
    }
    if (reason.length() > 1000) {
      throw new IllegalArgumentException("reason is longer than 1000 characters");
    }
  }

  /** Same as the constructor. */
  public static Audit of(String actor, String reason) {
    return new Audit(actor, reason);
  }
}
