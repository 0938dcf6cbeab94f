/**
 * Enforcement in memory: rpm/tpm sliding windows and budget counters behind {@link
 * dev.baton.store.limits.LimitCounters}, and the {@link dev.baton.store.limits.Enforcer} that turns them
 * into the contract's answers.
 */
@NullMarked
package dev.baton.store.limits;

import org.jspecify.annotations.NullMarked;
