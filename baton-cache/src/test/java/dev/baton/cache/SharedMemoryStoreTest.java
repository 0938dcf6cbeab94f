package dev.baton.cache;

/** The shared test double keeps the same contract as the real stores, so what it proves carries over. */
class SharedMemoryStoreTest extends CacheStoreContract {

  @Override
  protected CacheStore newStore() {
    return new SharedMemoryStore();
  }
}
