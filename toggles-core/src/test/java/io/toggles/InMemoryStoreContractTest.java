package io.toggles;

import io.toggles.testing.StoreContractTest;

/** The store contract run against the in-memory reference store. */
class InMemoryStoreContractTest extends StoreContractTest<InMemoryStore> {
  @Override
  protected InMemoryStore newStore(Hierarchy hierarchy) {
    return InMemoryStore.create(hierarchy);
  }
}
