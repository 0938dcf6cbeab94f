/**
 * The response cache (contract section 9): its one policy, {@link dev.baton.cache.ResponseCache}, which the
 * SDK's calls and every gateway front door go through — what makes two requests the same
 * ({@link dev.baton.cache.CacheKey}), whose entries a request may share and what it asks
 * ({@link dev.baton.cache.CacheContext}, {@link dev.baton.cache.CacheControl}), what may be stored, streams
 * replayed and stored whole, the semantic match — and the storage SPI beneath it: a
 * {@link dev.baton.cache.CacheStore} of opaque entries, local or shared, made by the
 * {@link dev.baton.cache.CacheStoreFactory} a {@code cache.type} names.
 */
@NullMarked
package dev.baton.cache;

import org.jspecify.annotations.NullMarked;
