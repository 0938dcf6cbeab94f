/**
 * The fault-injection suite: the sixteen provider faults of the public benchmark and seven ways servers
 * answer a continuation or a rate limit ({@link dev.baton.faults.Scenarios}), each injected by a
 * misbehaving upstream over a raw socket and run against the SDK, the gateway, and the gateway through
 * the official OpenAI Java SDK ({@link dev.baton.faults.Front}), scored per run
 * ({@link dev.baton.faults.Scorecard}).
 */
@NullMarked
package dev.baton.faults;

import org.jspecify.annotations.NullMarked;
