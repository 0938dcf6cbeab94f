package dev.baton.store.limits;

import dev.baton.store.Refusal;

/** What {@link Enforcer#admit} decided: go on with a {@link Permit}, or answer a {@link Refusal}. */
public sealed interface Admission {

  /** Within every limit; the request was counted. Complete the permit when the request ends. */
  record Admitted(Permit permit) implements Admission {}

  /** 403 {@code model_not_allowed}, 429 {@code rate_limit_exceeded} or 429 {@code budget_exceeded}. */
  record Refused(Refusal refusal) implements Admission {}
}
