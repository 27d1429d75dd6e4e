/**
 * JMH benchmarks of toggle checks beside plain maps and peer libraries, the index memory harness
 * and the renderer of the results table. Nothing here is a published API.
 */
@NullMarked
package io.toggles.bench;

import org.jspecify.annotations.NullMarked;
