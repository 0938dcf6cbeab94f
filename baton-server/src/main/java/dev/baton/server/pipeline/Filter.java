package dev.baton.server.pipeline;

import java.io.IOException;

/**
 * One concern of every request — its id, body limit, authentication, later limits, budgets, cache,
 * telemetry, spend — as a link of the {@link Pipeline}: OkHttp's interceptors and Helidon's filters are
 * the models. A filter may answer itself (throw a {@link GatewayError}, answered in the route's protocol)
 * or call {@link Chain#proceed()} to let the rest of the pipeline and then the front door answer.
 *
 * <p><b>After the answer.</b> Everything runs on the request's own (virtual) thread, and a front door
 * writes its whole answer — a stream included, to its last event — before it returns. So when
 * {@code chain.proceed()} returns, the answer is over, however it ended: answered, refused by a filter
 * further in, failed, a stream that completed, one that broke with an error event, or a caller that went
 * away. The exchange's outcome ({@link Exchange#status()}, {@link Exchange#usage()},
 * {@link Exchange#attempts()}, {@link Exchange#error()}, ...) is final then, and {@code proceed()} never
 * throws for any of these; a filter that records spend, a span or a log line does so after it:
 *
 * <pre>{@code
 * public void handle(Exchange exchange, Chain chain) {
 *   chain.proceed();
 *   spend.record(exchange.caller(), exchange.servedBy(), exchange.usage(), exchange.status());
 * }
 * }</pre>
 *
 * <p>One instance serves every request at once: a filter keeps no per-request state in its fields (that
 * goes in the {@link Exchange}), and does nothing slow before it proceeds.
 */
@FunctionalInterface
public interface Filter {

  void handle(Exchange exchange, Chain chain) throws IOException;

  /** The rest of the pipeline, as seen from one filter. */
  interface Chain {

    /**
     * Runs the filters after this one, then the route's front door. It returns once the answer is
     * complete; a failure further in has been answered in the route's protocol by then, so this never
     * throws.
     */
    void proceed();
  }
}
