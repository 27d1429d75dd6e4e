/**
 * What the sync and evaluation meters of {@link
 * io.toggles.spring.boot.autoconfigure.TogglesMetrics} need from core, as small interfaces.
 * Internal: no compatibility promise. Nothing implements them yet: an adapter over core's change
 * listener (issue 18) and evaluation counters will, and the meters they feed are registered only
 * when a bean of {@link SyncHooks} or {@link EvaluationCounts} exists.
 */
@NullMarked
package io.toggles.spring.boot.autoconfigure.hooks;

import org.jspecify.annotations.NullMarked;
