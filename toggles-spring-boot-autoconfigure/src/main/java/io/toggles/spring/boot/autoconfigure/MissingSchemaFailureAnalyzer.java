package io.toggles.spring.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a {@link MissingSchemaException} at start-up with what to do about it. */
final class MissingSchemaFailureAnalyzer extends AbstractFailureAnalyzer<MissingSchemaException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, MissingSchemaException cause) {
    String action =
        cause.schemaPresent()
            ? "Upgrade toggles to a release that understands this schema."
            : MissingSchemaException.WHAT_TO_RUN;
    return new FailureAnalysis(cause.getMessage(), action, cause);
  }
}
