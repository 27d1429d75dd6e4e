/**
 * Test support shipped in the toggles-core test-jar: the {@link
 * io.toggles.testing.StoreContractTest} that every {@link io.toggles.spi.ToggleStore} and {@link
 * io.toggles.ToggleAdmin} implementation runs.
 */
package io.toggles.testing;
