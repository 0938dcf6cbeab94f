package dev.baton.server.pipeline;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Graceful shutdown's part of the request path: counts the requests in flight, and once the gateway has
 * begun to shut down turns new ones away at once (503, connection closed) while those in flight finish.
 */
public final class Draining implements Filter {

  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean draining;

  @Override
  public void handle(Exchange exchange, Chain chain) {
    inFlight.incrementAndGet();
    try {
      if (draining) {
        throw GatewayError.shuttingDown();
      }
      chain.proceed();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** From now on, new requests are turned away. */
  public void start() {
    draining = true;
  }

  /** The requests still being answered. */
  public int inFlight() {
    return inFlight.get();
  }
}
