package dev.baton.server.pipeline;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A typed key for request-scoped state that the {@link Exchange} has no field for, such as a telemetry
 * span or a rate-limit reservation: made once, as a constant, by the filter that owns the state. Looking
 * one up is an array index, not a map lookup.
 *
 * <pre>{@code
 * static final Attribute<Span> SPAN = Attribute.named("telemetry.span");
 * exchange.set(SPAN, span);
 * Span span = exchange.get(SPAN);
 * }</pre>
 */
public final class Attribute<T> {

  private static final AtomicInteger COUNT = new AtomicInteger();

  private final String name;
  final int index;

  private Attribute(String name) {
    this.name = name;
    this.index = COUNT.getAndIncrement();
  }

  /** A new key; call it once per kind of state, into a constant. */
  public static <T> Attribute<T> named(String name) {
    return new Attribute<>(name);
  }

  @Override
  public String toString() {
    return name;
  }
}
