/** The response cache's local store: Caffeine, bounded by entries and bytes ({@code cache.type: local}). */
@NullMarked
package dev.baton.cache.local;

import org.jspecify.annotations.NullMarked;
