/**
 * Several gateway instances as one, through Redis (contract section 8): {@link dev.baton.redis.SharedState}
 * built from the {@code redis:} section hands out the shared rate windows and budget spend, circuits,
 * key changes and the response cache's store, each kept off the request path and each falling back to
 * the instance's own state while Redis is away.
 */
@NullMarked
package dev.baton.redis;

import org.jspecify.annotations.NullMarked;
