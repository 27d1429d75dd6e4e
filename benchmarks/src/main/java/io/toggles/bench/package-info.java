/**
 * JMH benchmarks of toggle checks beside plain maps and peer libraries, the index memory harness
 * and the renderer of the results table. Nothing here is a published API.
 *
 * <p>Forks run with a fixed heap and a 64 MiB young generation ({@code -Xmn64m}). On the 2-core
 * virtual machines this project is measured on, the kernel reclaims memory the JVM has not touched
 * for a while (DAMON), and with the default, much larger young generation every allocation then
 * faults its page back in: allocating benchmarks (the peers, {@code explain}) ran about ten times
 * slower than with a young generation small enough to stay resident. The checks themselves allocate
 * nothing and are unaffected either way.
 */
@NullMarked
package io.toggles.bench;

import org.jspecify.annotations.NullMarked;
