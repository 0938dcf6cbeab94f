package dev.baton.server.pipeline;

import dev.baton.cache.CacheContext;
import dev.baton.cache.CacheControl;
import dev.baton.cache.CacheStatus;
import dev.baton.config.CacheConfig;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;

/**
 * The response cache's part of a request (contract section 9): whose entries the request may share — its
 * team's, its key's or everyone's, as {@code cache.scope} says, the master key being one scope — and what its
 * {@code Cache-Control} header asks. The lookup itself, the storing and the policy are the SDK's
 * ({@link dev.baton.cache.ResponseCache}), which the front doors call with this request's context
 * ({@link #context}); so every door and the SDK share one cache. When the lookup is decided, before any
 * upstream call, the answer gets {@code x-baton-cache: hit | semantic-hit | miss | bypass} and the exchange
 * records it, whatever the answer turns out to be.
 */
public final class Cache implements Filter {

  public static final HeaderName HEADER = HeaderNames.create("x-baton-cache");
  private static final Attribute<CacheContext> CONTEXT = Attribute.named("cache.context");
  private static final Header[] STATUS_HEADERS = new Header[CacheStatus.values().length];

  static {
    for (CacheStatus status : CacheStatus.values()) {
      STATUS_HEADERS[status.ordinal()] = HeaderValues.createCached(HEADER, dev.baton.server.pipeline.CacheStatus
          .of(status).header());
    }
  }

  private final CacheConfig.Scope scope;

  /** @param scope {@code cache.scope}: whose requests may share an entry */
  public Cache(CacheConfig.Scope scope) {
    this.scope = scope;
  }

  @Override
  public void handle(Exchange exchange, Chain chain) {
    Caller caller = exchange.caller();
    String partition = caller == null ? scope.partition("anonymous", null) : scope.partition(caller.id(), caller.team());
    CacheControl control = CacheControl.parse(exchange.http().header(HeaderNames.CACHE_CONTROL));
    exchange.set(CONTEXT, new CacheContext(partition, control, status -> {
      exchange.cache(dev.baton.server.pipeline.CacheStatus.of(status));
      if (!exchange.http().sent()) {
        exchange.http().header(STATUS_HEADERS[status.ordinal()]);
      }
    }));
    chain.proceed();
  }

  /**
   * How the request takes part in the response cache, for the door to hand to the SDK; a pipeline without
   * this filter (a gateway without a cache) gives the default, which a Baton without a cache ignores.
   */
  public static CacheContext context(Exchange exchange) {
    CacheContext context = exchange.get(CONTEXT);
    return context == null ? CacheContext.DEFAULT : context;
  }
}
