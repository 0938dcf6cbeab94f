package dev.baton.cache;

import dev.baton.ChatResponse;
import dev.baton.ChatStream;
import dev.baton.CompletionResponse;
import dev.baton.EmbeddingResponse;
import dev.baton.provider.MessagesBody;
import dev.baton.config.CacheConfig;
import dev.baton.wire.OpenAiResponseReader;
import dev.baton.wire.OpenAiResponseWriter;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response cache's policy, the one every front door and the SDK go through: which requests it covers,
 * whose entries a request may share, what {@code Cache-Control} asks, when an entry is too old, what may be
 * stored, and the semantic match. Where entries live is a {@link CacheStore}'s business.
 *
 * <p>One request's dealings are a {@link Lookup}: made before any upstream call, it is a hit (the answer, as
 * the request's route writes it, plain or streamed), a miss (the answer is stored once it completes) or a
 * bypass. An answer is stored under the model asked for — so a fallback's answer serves the next request for
 * the model that failed — only when it is whole: a failure, a stream that broke or was abandoned, and an
 * answer with nothing in it are never stored.
 */
public final class ResponseCache implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ResponseCache.class);

  /** Turns the last user message into an embedding, with the configured embedding model. */
  @FunctionalInterface
  public interface Embedder {
    float[] embed(String text);
  }

  private final CacheConfig config;
  private final CacheStore store;
  private final Clock clock;
  private final @Nullable Embedder embedder;
  private final @Nullable SemanticIndex index;
  private final AtomicBoolean embedderWarned = new AtomicBoolean();
  /** Every bypass is the same: made once. */
  private final Lookup bypass = new Lookup(CacheStatus.BYPASS, null, null, null, null, null);

  /**
   * @param embedder the semantic cache's embedding model; null when {@code config} has no semantic cache
   */
  public ResponseCache(CacheConfig config, CacheStore store, Clock clock, @Nullable Embedder embedder) {
    this.config = Objects.requireNonNull(config, "config");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.embedder = config.semantic() == null ? null : embedder;
    this.index = this.embedder == null ? null : new SemanticIndex(config.maxEntries());
  }

  public CacheConfig config() {
    return config;
  }

  /**
   * Looks a request up, before it goes anywhere, and tells the context's listener how it went.
   *
   * @param model the public model asked for
   * @param key the request's key, made only when the cache covers the model and the request may use it
   */
  public Lookup lookup(String model, Supplier<CacheKey> key, CacheContext context) {
    CacheControl control = context.control();
    if (!config.covers(model) || control.noStore()) {
      return done(bypass, context);
    }
    CacheKey k;
    try {
      k = key.get();
    } catch (RuntimeException e) {
      log.debug("a request to {} cannot be keyed for the cache; not cached: {}", model, e.toString());
      return done(bypass, context);
    }
    String scope = config.scope() == CacheConfig.Scope.GLOBAL ? "" : context.scope();
    String id = k.id(scope);
    long now = clock.millis();
    if (!control.noCache()) {
      CachedAnswer exact = live(id, control, now);
      if (exact != null) {
        return done(new Lookup(CacheStatus.HIT, k, id, exact, null, null), context);
      }
    }
    String semanticContext = null;
    float[] embedding = null;
    if (index != null && k.prompt() != null) {
      semanticContext = k.context(scope + "\u0000" + config.semantic().embeddingModel());
      embedding = embed(k.prompt());
      if (embedding != null && !control.noCache()) {
        SemanticIndex.Match match = index.nearest(semanticContext, embedding, config.semantic().threshold(), now);
        CachedAnswer similar = match == null ? null : live(match.id(), control, now);
        if (similar != null) {
          return done(new Lookup(CacheStatus.SEMANTIC_HIT, k, id, similar, null, null), context);
        }
      }
    }
    return done(new Lookup(CacheStatus.MISS, k, id, null, semanticContext, embedding), context);
  }

  private static Lookup done(Lookup lookup, CacheContext context) {
    context.looked(lookup.status);
    return lookup;
  }

  /** The entry under {@code id} if it is live and young enough for the request; a store failure is a miss. */
  private @Nullable CachedAnswer live(String id, CacheControl control, long now) {
    CacheEntry entry;
    try {
      entry = store.get(id);
    } catch (RuntimeException e) {
      log.debug("the cache store failed a lookup; a miss: {}", e.toString());
      return null;
    }
    if (entry == null || entry.expiresAtMillis() <= now) {
      return null;
    }
    if (control.maxAge() != null && now - entry.createdAtMillis() >= control.maxAge().toMillis()) {
      return null;
    }
    return CachedAnswer.decode(entry.value());
  }

  private float @Nullable [] embed(String prompt) {
    try {
      float[] v = embedder.embed(prompt);
      embedderWarned.set(false);
      return v;
    } catch (RuntimeException e) {
      // The semantic cache is an optimisation: a request never fails for it.
      if (embedderWarned.compareAndSet(false, true)) {
        log.warn("the semantic cache's embedding model {} failed, so requests are matched exactly until it"
            + " answers again: {}", config.semantic().embeddingModel(), e.getMessage());
      }
      return null;
    }
  }

  private void put(Lookup lookup, CachedAnswer answer) {
    long now = clock.millis();
    long expires = now + config.ttl().toMillis();
    try {
      store.put(lookup.id, new CacheEntry(answer.encode(), now, expires));
    } catch (RuntimeException e) {
      log.debug("the cache store failed to keep an entry: {}", e.toString());
      return;
    }
    if (index != null && lookup.embedding != null && lookup.semanticContext != null) {
      index.add(lookup.semanticContext, lookup.embedding, lookup.id, expires, now);
    }
  }

  @Override
  public void close() {
    store.close();
  }

  /**
   * One request's dealings with the cache: how the lookup went, the answer if it was a hit, and the storing
   * of the answer if it was a miss.
   */
  public final class Lookup {

    private final CacheStatus status;
    private final @Nullable CacheKey key;
    private final @Nullable String id;
    private final @Nullable CachedAnswer hit;
    private final @Nullable String semanticContext;
    private final float @Nullable [] embedding;

    private Lookup(CacheStatus status, @Nullable CacheKey key, @Nullable String id, @Nullable CachedAnswer hit,
        @Nullable String semanticContext, float @Nullable [] embedding) {
      this.status = status;
      this.key = key;
      this.id = id;
      this.hit = hit;
      this.semanticContext = semanticContext;
      this.embedding = embedding;
    }

    public CacheStatus status() {
      return status;
    }

    /** The cached chat answer (a Chat Completions, Messages or Responses request's), or null on a miss. */
    public @Nullable ChatResponse chat() {
      if (hit == null) {
        return null;
      }
      try {
        ChatResponse a = OpenAiResponseReader.chat(hit.answer(), key.model());
        if (key.kind() != CacheKey.Kind.CHAT) {
          a = new ChatResponse(a.id(), a.created(), a.upstreamModel(), a.choices(), a.usage(), hit.nativeBody());
        }
        return a.routed(hit.model(), List.of()).cached(status);
      } catch (IOException e) {
        return null;
      }
    }

    /** The cached chat answer played as a stream, or null on a miss. */
    public @Nullable ChatStream replay(boolean includeUsage) {
      ChatResponse answer = chat();
      return answer == null ? null : new ReplayedStream(answer, status, includeUsage);
    }

    /** The cached text completion, or null on a miss. */
    public @Nullable CompletionResponse completion() {
      if (hit == null) {
        return null;
      }
      try {
        return OpenAiResponseReader.completion(hit.answer(), key.model()).routed(hit.model(), List.of())
            .cached(status);
      } catch (IOException e) {
        return null;
      }
    }

    /** The cached text completion played as a stream, or null on a miss. */
    public @Nullable ChatStream replayCompletion(boolean includeUsage) {
      CompletionResponse c = completion();
      if (c == null) {
        return null;
      }
      List<dev.baton.Choice> choices = c.choices().stream()
          .map(choice -> new dev.baton.Choice(choice.index(), dev.baton.Message.assistant(choice.text()),
              choice.finishReason()))
          .toList();
      ChatResponse asChat = new ChatResponse(c.id(), c.created(), c.upstreamModel(), choices, c.usage(), null)
          .routed(c.model(), List.of());
      return new ReplayedStream(asChat, status, includeUsage);
    }

    /** The cached embeddings, or null on a miss. */
    public @Nullable EmbeddingResponse embedding() {
      if (hit == null) {
        return null;
      }
      try {
        return OpenAiResponseReader.embedding(hit.answer(), key.model()).routed(hit.model(), List.of())
            .cached(status);
      } catch (IOException e) {
        return null;
      }
    }

    /** Stores a chat answer, if this was a miss and it has something in it; returns it marked. */
    public ChatResponse store(ChatResponse answer) {
      if (status == CacheStatus.MISS && hasContent(answer)) {
        byte[] nativeBody = switch (key.kind()) {
          case MESSAGES -> MessagesBody.answeredNatively(answer) ? answer.upstreamBody() : null;
          case RESPONSES -> answer.upstreamBody();
          default -> null;
        };
        ChatResponse fields = key.kind() == CacheKey.Kind.CHAT ? answer
            : new ChatResponse(answer.id(), answer.created(), answer.upstreamModel(), answer.choices(),
                answer.usage(), null);
        put(this, new CachedAnswer(answer.model(), OpenAiResponseWriter.chat(fields), nativeBody));
      }
      return answer.cached(status);
    }

    /** Stores a text completion, if this was a miss and it has text; returns it marked. */
    public CompletionResponse store(CompletionResponse answer) {
      if (status == CacheStatus.MISS && answer.choices().stream().anyMatch(c -> !c.text().isEmpty())) {
        put(this, new CachedAnswer(answer.model(), OpenAiResponseWriter.completion(answer), null));
      }
      return answer.cached(status);
    }

    /** Stores embeddings, if this was a miss; returns them marked. */
    public EmbeddingResponse store(EmbeddingResponse answer) {
      if (status == CacheStatus.MISS && !answer.vectors().isEmpty()) {
        put(this, new CachedAnswer(answer.model(), OpenAiResponseWriter.embedding(answer, true), null));
      }
      return answer.cached(status);
    }

    /**
     * A miss's stream, passed through to the caller and stored once it completed. {@code completion}: the
     * stream is a text completion's, whose chunks carry its text as their content.
     */
    public ChatStream store(ChatStream stream, boolean completion) {
      if (status != CacheStatus.MISS) {
        return new StoringStream(stream, status, null);
      }
      return new StoringStream(stream, status, answer -> {
        if (completion) {
          List<CompletionResponse.Choice> choices = answer.choices().stream()
              .map(c -> new CompletionResponse.Choice(c.index(), c.message().text(), c.finishReason()))
              .toList();
          store(new CompletionResponse(answer.id(), answer.created(), answer.upstreamModel(), choices,
              answer.usage(), null).routed(answer.model(), answer.attempts()));
        } else {
          store(answer);
        }
      });
    }

    private boolean hasContent(ChatResponse answer) {
      for (dev.baton.Choice c : answer.choices()) {
        if (!c.message().text().isEmpty() || !c.message().toolCalls().isEmpty()) {
          return true;
        }
      }
      return false;
    }
  }
}
