package dev.baton.server.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The filters every request of a route goes through before its front door, in order. The order is
 * written once, in {@link Builder#build()}; a pipeline is built with the filters it needs (the model
 * routes with all of them, {@code /health} with only the request id) and the others are left out.
 *
 * <pre>
 *   RequestId → Telemetry → AccessLog → Metrics → Draining → BodyLimit → Auth → SpendRecord
 *     → (the door reads the request) → KeyLimits → Cache → the door answers
 * </pre>
 *
 * Filters early in the order see everything after them: the access log and metrics wrap the whole
 * request and record its final outcome once {@code proceed()} returns (see {@link Filter}). Filters after
 * the read step know the model asked for and the router's request.
 */
public final class Pipeline {

  /** The front door's read step: between authentication and the filters that need the model asked for. */
  static final Filter READ = (exchange, chain) -> {
    exchange.endpoint().read(exchange);
    chain.proceed();
  };

  private final Filter[] filters;

  private Pipeline(List<Filter> filters) {
    this.filters = filters.toArray(Filter[]::new);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs one request through the filters and then the endpoint, on the caller's thread; returns when the
   * answer is over.
   *
   * @param route the route's name in metrics and logs
   */
  public void serve(HttpCall http, String route, Endpoint endpoint) {
    Exchange exchange = new Exchange(http, route, endpoint, filters);
    exchange.proceed();
    if (!http.sent() && !exchange.callerGone()) {
      exchange.fail(new IllegalStateException(route + " ended without an answer"));
    }
  }

  /** The filters in the order they run (the read step included), for tests and diagnostics. */
  public List<Filter> filters() {
    return List.of(filters);
  }

  /** Each slot is one filter's place in the order; a slot left empty is skipped. */
  public static final class Builder {
    private @Nullable Filter requestId;
    private @Nullable Filter telemetry;
    private @Nullable Filter accessLog;
    private @Nullable Filter metrics;
    private @Nullable Filter draining;
    private @Nullable Filter bodyLimit;
    private @Nullable Filter auth;
    private @Nullable Filter spendRecord;
    private @Nullable Filter keyLimits;
    private @Nullable Filter cache;

    private Builder() {}

    /** First: every answer, refusals included, carries the request's id. */
    public Builder requestId(Filter filter) {
      this.requestId = filter;
      return this;
    }

    /** Around everything but the id: the request's span covers refusals too, and ends with the answer. */
    public Builder telemetry(Filter filter) {
      this.telemetry = filter;
      return this;
    }

    /** Around everything else, so its line has the final outcome. */
    public Builder accessLog(Filter filter) {
      this.accessLog = filter;
      return this;
    }

    /** Around everything else, so its counts have the final status and usage. */
    public Builder metrics(Filter filter) {
      this.metrics = filter;
      return this;
    }

    /** Turns requests away while the gateway shuts down, and counts those in flight. */
    public Builder draining(Filter filter) {
      this.draining = filter;
      return this;
    }

    /** Before authentication: an oversized body is refused from its declared length, unread. */
    public Builder bodyLimit(Filter filter) {
      this.bodyLimit = filter;
      return this;
    }

    /** Before the body is read: an unauthenticated caller's body is never parsed. */
    public Builder auth(Filter filter) {
      this.auth = filter;
      return this;
    }

    /**
     * Right after authentication, so its row covers every request of a known caller however it ends —
     * bad input and refused limits included — and sees the final outcome once {@code proceed()} returns.
     */
    public Builder spendRecord(Filter filter) {
      this.spendRecord = filter;
      return this;
    }

    /** After the door has read the model asked for: a virtual key's model list, limits and budget. */
    public Builder keyLimits(Filter filter) {
      this.keyLimits = filter;
      return this;
    }

    /**
     * Last, once the request is read and let through: a refused request never touches the cache, and the
     * door answers a hit as its own protocol's answer or stream.
     */
    public Builder cache(Filter filter) {
      this.cache = filter;
      return this;
    }

    /** The order, in one place. */
    public Pipeline build() {
      List<Filter> order = new ArrayList<>();
      for (Filter f : new Filter[] {requestId, telemetry, accessLog, metrics, draining, bodyLimit, auth, spendRecord,
          READ, keyLimits, cache}) {
        if (f != null) {
          order.add(f);
        }
      }
      return new Pipeline(order);
    }
  }
}
