package dev.baton.router;

import dev.baton.AllModelsFailedException;
import dev.baton.Attempt;
import dev.baton.BadRequestException;
import dev.baton.BatonEvent;
import dev.baton.BatonException;
import dev.baton.ChatChunk;
import dev.baton.ChatResponse;
import dev.baton.ChatStream;
import dev.baton.UnreadableResponseException;
import dev.baton.UpstreamException;
import dev.baton.Usage;
import dev.baton.provider.Call;
import dev.baton.provider.ChunkSource;
import dev.baton.provider.Provider;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A stream that survives its upstream. It is handed to the caller once a model has started answering;
 * if that model breaks off (reset, stall, error event, missing end), the same {@link Route} finds the
 * next candidate and asks it to continue from the text already sent — as an assistant prefill where the
 * target takes one, otherwise as a request for the remainder. Whatever comes back is joined onto the
 * caller's text by a {@link Splice}: a restart or an overlap is dropped, and a continuation that cannot
 * be joined without repeating or contradicting the caller's text is refused like a failed attempt, so
 * the caller reads one whole answer, each part once. When no candidate is left, or the answer had tool
 * calls or several choices (which cannot be resumed), iteration ends with a {@link BatonException}:
 * never with a truncated or repeated answer that looks complete.
 */
public final class RoutedStream implements ChatStream {

  /** Opens one attempt's stream; with a continuation, one that continues a broken-off answer. */
  public interface Opener {
    ChunkSource open(Provider provider, Call call, @Nullable Continuation continuation);

    /**
     * Whether every continuation extends the text itself, whatever the deployment — a text completion
     * does, its prompt followed by the text so far — rather than continuing a chat.
     */
    default boolean extendsText() {
      return false;
    }
  }

  /**
   * How an attempt continues an answer that broke off.
   *
   * @param sentSoFar the answer text the caller already has
   * @param prefill whether the request ends with an assistant turn of {@code prefillText} for the
   *     deployment to continue; otherwise it ends with the assistant turn {@code sentSoFar} and a user
   *     turn asking for the rest, beginning with {@code anchor}
   * @param prefillText all of {@code sentSoFar}; or, for a deployment not yet known to continue
   *     prefills, all but its last words, which such a deployment writes again and so proves itself
   * @param anchor the last words of {@code sentSoFar}, which a continue turn asks the reply to begin with
   */
  public record Continuation(String sentSoFar, boolean prefill, String prefillText, String anchor) {

    /** Whether this prefill holds back the last words, to see the deployment write them again. */
    public boolean provesPrefill() {
      return prefill && prefillText.length() < sentSoFar.length();
    }

    /** Whether new text is taken as it comes: the deployment continues the caller's own text. */
    boolean trusted() {
      return prefill && !provesPrefill();
    }
  }

  private final Router router;
  private final Route route;
  private final Opener opener;
  private final boolean includeUsage;
  private final ArrayDeque<ChatChunk> ready = new ArrayDeque<>();
  private final StringBuilder sent = new StringBuilder();
  private @Nullable Try attempt;
  private volatile @Nullable ChunkSource source;
  private int attemptCharacters;
  /** Whether the current attempt's usage is already in {@link #brokenUsage} (it broke off). */
  private boolean attemptCounted;
  private boolean toolCalls;
  private boolean resumed;
  private Usage brokenUsage = Usage.NONE;
  private @Nullable Usage attemptUsage;
  private @Nullable ChatChunk upstreamUsageChunk;
  private @Nullable ChatChunk lastChunk;
  private @Nullable Splice splice;
  private boolean severalChoices;
  private boolean done;
  private boolean reading;
  private volatile boolean closed;
  private boolean iterated;

  RoutedStream(Router router, Route route, Opener opener, boolean includeUsage) {
    this.router = router;
    this.route = route;
    this.opener = opener;
    this.includeUsage = includeUsage;
  }

  /**
   * A stream that has started answering: its source, the chunks up to and including the first answer,
   * and for a continuation, the splice that joined it.
   */
  private record Opened(ChunkSource source, List<ChatChunk> chunks, boolean ended, @Nullable Splice splice) {}

  /**
   * Finds a deployment that starts answering: runs attempts along the route (hedged, if the group hedges)
   * until one produces its first content. With {@code cause}, it is a continuation after a break, and a
   * continuation counts as started only once its splice has found where it joins. A deployment that
   * refuses Baton's own continuation request (a 400) or answers it in a way that cannot be joined is
   * asked again the other way if it was given a prefill, and otherwise passed over — neither is the
   * caller's error nor a sign of ill health.
   */
  void establish(@Nullable UpstreamException cause) {
    String brokenFrom = attempt == null ? null : attempt.deployment().name();
    boolean resuming = cause != null;
    Resumption resumption = resuming && !sent.isEmpty() ? new Resumption(sent.toString()) : null;
    Router.Won<Opened> won = resumption == null
        ? router.run(route, next -> open(next, resuming, null), opened -> closeQuietly(opened.source()), route::failed)
        : router.run(route, resumption::open, opened -> closeQuietly(opened.source()), resumption::failed);
    attempt = won.attempt();
    source = won.value().source();
    Splice joined = won.value().splice();
    if (resumption != null) {
      resumption.learn(attempt, joined);
    }
    splice = joined == null || joined.passesThrough() ? null : joined;
    attemptCharacters = 0;
    attemptUsage = null;
    attemptCounted = false;
    upstreamUsageChunk = null;
    ready.addAll(won.value().chunks());
    if (won.value().ended()) {
      finish();
    }
    if (closed) {
      closeQuietly(source);
    }
    if (cause != null) {
      resumed = true;
      route.emit(new BatonEvent.StreamResumed(route.id(), brokenFrom, attempt.deployment().name(),
          sent.length(), cause));
    }
  }

  /**
   * One search for a deployment to continue the answer: how each attempt was asked, which deployments
   * refused a prefill, and which attempts came back in a way that cannot be joined. Attempts may run on
   * hedging threads, hence the concurrent sets.
   */
  private final class Resumption {
    private final String sentSoFar;
    private final Set<Deployment> prefillFailed = ConcurrentHashMap.newKeySet();
    private final Map<Try, Continuation> asked = new ConcurrentHashMap<>();
    private final Set<Try> misjoined = ConcurrentHashMap.newKeySet();

    Resumption(String sentSoFar) {
      this.sentSoFar = sentSoFar;
    }

    Opened open(Try next) {
      Continuation continuation = continuation(next.deployment());
      asked.put(next, continuation);
      try {
        return RoutedStream.this.open(next, true, continuation);
      } catch (Splice.Misaligned e) {
        misjoined.add(next);
        throw new UnreadableResponseException(next.call().source(200, null, null), "its continuation cannot be"
            + " joined to the " + sentSoFar.length() + " characters already sent: " + e.getMessage());
      }
    }

    /** How to ask {@code d}: by prefill if it takes one (proving it first if unknown), else by a continue turn. */
    private Continuation continuation(Deployment d) {
      String anchor = Splice.anchor(sentSoFar);
      Deployment.Prefill prefill = opener.extendsText() ? Deployment.Prefill.YES
          : prefillFailed.contains(d) ? Deployment.Prefill.NO : d.prefill();
      return switch (prefill) {
        case YES -> new Continuation(sentSoFar, true, sentSoFar, anchor);
        case NO -> new Continuation(sentSoFar, false, sentSoFar, anchor);
        case UNKNOWN -> {
          int cut = Splice.proofCut(sentSoFar);
          yield cut < sentSoFar.length()
              ? new Continuation(sentSoFar, true, sentSoFar.substring(0, cut), anchor)
              : new Continuation(sentSoFar, false, sentSoFar, anchor);
        }
      };
    }

    /**
     * A failed attempt. A 400 to Baton's own request, or an answer that cannot be joined, is the
     * deployment's refusal: after a prefill it is asked again with a continue turn, else passed over.
     */
    void failed(Try next, UpstreamException e) {
      boolean refused = e instanceof BadRequestException || misjoined.remove(next);
      if (!refused) {
        route.failed(next, e);
        return;
      }
      UpstreamException reported = e instanceof BadRequestException ? refusedContinuation(e) : e;
      Continuation continuation = asked.get(next);
      if (continuation != null && continuation.prefill() && !opener.extendsText()) {
        prefillFailed.add(next.deployment());
        next.deployment().learnPrefill(false);
        route.continueAnotherWay(next, reported);
      } else {
        route.continuationRefused(next, reported);
      }
    }

    /** What the attempt that continued taught about its deployment and prefills. */
    void learn(Try won, @Nullable Splice joined) {
      Continuation continuation = asked.get(won);
      if (joined == null || continuation == null || !continuation.prefill() || opener.extendsText()) {
        return;
      }
      // A prefill answered by beginning again was not continued; one that wrote the held-back words again was.
      if (joined.join() == Splice.Join.RESTART) {
        won.deployment().learnPrefill(false);
      } else if (continuation.provesPrefill()) {
        won.deployment().learnPrefill(true);
      }
    }
  }

  /** A 400 to Baton's own continuation request: the deployment's refusal, never the caller's error. */
  private static UpstreamException refusedContinuation(UpstreamException e) {
    return new UnreadableResponseException(new UpstreamException.Source(e.deployment(), e.provider(),
        e.httpStatus(), e.upstreamCode(), null), "refused the request to continue the answer: " + e.getMessage(), e);
  }

  private Opened open(Try next, boolean resuming, @Nullable Continuation continuation) {
    Deployment d = next.deployment();
    ChunkSource opened = opener.open(d.provider(), next.call(), continuation);
    try {
      if (closed) {
        throw new CancellationException("closed");
      }
      Splice joining = continuation == null ? null : new Splice(continuation.sentSoFar(), continuation.trusted());
      List<ChatChunk> chunks = new ArrayList<>(2);
      ChatChunk chunk;
      while ((chunk = opened.next()) != null) {
        if (joining != null && !joining.passesThrough()) {
          chunk = spliced(chunk, joining);
          if (chunk == null) {
            continue;
          }
        }
        if (chunk.hasAnswer()) {
          chunks.add(chunk);
          return new Opened(opened, chunks, false, joining);
        }
        if (!resuming || chunk.usage() != null) {
          chunks.add(chunk);
        }
      }
      if (joining != null && !joining.decided()) {
        String rest = joining.end();
        if (!rest.isEmpty()) {
          chunks.add(ChatChunk.text("", 0, d.upstreamModel(), rest));
        }
      }
      return new Opened(opened, chunks, true, joining);
    } catch (RuntimeException e) {
      closeQuietly(opened);
      throw e;
    }
  }

  /**
   * The chunk with its text as the splice passes it on, or null when none of it is passed on yet. A
   * chunk that finishes the answer or carries a tool call ends the continuation's text first.
   */
  private static @Nullable ChatChunk spliced(ChatChunk chunk, Splice splice) {
    boolean ends = chunk.finishReason() != null || !chunk.toolCalls().isEmpty();
    String content = chunk.content();
    String text = content == null ? "" : splice.accept(content);
    if (ends && !splice.decided()) {
      text += splice.end();
    }
    if (text.equals(content) || (content == null && text.isEmpty())) {
      return chunk;
    }
    if (text.isEmpty() && !ends && chunk.usage() == null) {
      return null;
    }
    return new ChatChunk(chunk.id(), chunk.created(), chunk.upstreamModel(), chunk.index(), chunk.role(),
        text.isEmpty() ? null : text, chunk.toolCalls(), chunk.finishReason(), chunk.usage(), null);
  }

  private @Nullable ChatChunk nextChunk() {
    while (true) {
      if (!ready.isEmpty()) {
        return take(ready.poll());
      }
      if (done || closed) {
        return null;
      }
      ChunkSource s = source;
      ChatChunk chunk;
      synchronized (this) {
        reading = true;
      }
      try {
        chunk = s.next();
      } catch (UpstreamException e) {
        if (closed) {
          return null;
        }
        resume(e);
        continue;
      } catch (CancellationException e) {
        if (closed) {
          return null;
        }
        throw e;
      } catch (RuntimeException e) {
        if (closed) {
          return null;
        }
        resume(Router.unexpected(attempt, e));
        continue;
      } finally {
        synchronized (this) {
          reading = false;
          if (closed && !done) {
            abandon();
          }
        }
      }
      if (chunk == null) {
        finish();
        continue;
      }
      Splice joining = splice;
      if (joining != null) {
        chunk = spliced(chunk, joining);
        if (joining.passesThrough()) {
          splice = null;
        }
      }
      if (chunk != null) {
        ready.add(chunk);
      }
    }
  }

  private @Nullable ChatChunk take(ChatChunk chunk) {
    attempt.trace().chunk(chunk);
    if (chunk.usage() != null) {
      attemptUsage = chunk.usage();
      if (chunk.isUsageOnly() && chunk != upstreamUsageChunk) {
        // Held back: the stream's usage is reported once, at the end, and only when asked for.
        upstreamUsageChunk = chunk;
        return nextChunk();
      }
    }
    if (chunk.content() != null) {
      sent.append(chunk.content());
      attemptCharacters += chunk.content().length();
    }
    toolCalls |= !chunk.toolCalls().isEmpty();
    severalChoices |= chunk.index() != 0;
    lastChunk = chunk;
    return chunk;
  }

  private void finish() {
    route.succeeded(attempt);
    if (attemptUsage != null) {
      attempt.deployment().countTokens(attemptUsage.completionTokens(), System.nanoTime());
    }
    done = true;
    closeQuietly(source);
    if (!includeUsage) {
      return;
    }
    if (!resumed && upstreamUsageChunk != null) {
      ready.add(upstreamUsageChunk);
      return;
    }
    Usage total = brokenUsage.plus(attemptUsage != null ? attemptUsage : estimate());
    ChatChunk last = lastChunk;
    ChatChunk usage = new ChatChunk(last == null ? "" : last.id(), last == null ? 0 : last.created(),
        last == null ? attempt.deployment().upstreamModel() : last.upstreamModel(), 0, null, null, List.of(), null,
        total, null);
    upstreamUsageChunk = usage;
    ready.add(usage);
  }

  private void resume(UpstreamException e) {
    Try broken = attempt;
    route.failed(broken, e);
    closeQuietly(source);
    brokenUsage = brokenUsage.plus(attemptUsage != null ? attemptUsage : estimate());
    attemptCounted = true;
    if (toolCalls || severalChoices) {
      done = true;
      throw new AllModelsFailedException("The answer from " + broken.deployment().id() + " broke off "
          + (toolCalls ? "during a tool call" : "while answering several choices") + ", which cannot be resumed: "
          + e.getMessage(), e, null, route.attempts());
    }
    route.renewDeadline(router.config().timeout());
    try {
      establish(e);
    } catch (BatonException final_) {
      done = true;
      throw final_;
    }
  }

  /**
   * The usage of the current attempt when its upstream reported none (a broken attempt, or a server not
   * asked for usage): the route's estimate of the prompt, and the output at four characters a token.
   */
  private Usage estimate() {
    return Usage.of((int) Math.min(Integer.MAX_VALUE, route.promptTokens()), (attemptCharacters + 3) / 4);
  }

  private void abandon() {
    done = true;
    if (attempt != null) {
      route.cancelled(attempt);
    }
  }

  @Override
  public Iterator<ChatChunk> iterator() {
    if (iterated) {
      throw new IllegalStateException("a ChatStream can be iterated once");
    }
    iterated = true;
    return new Iterator<>() {
      private @Nullable ChatChunk next;

      @Override
      public boolean hasNext() {
        if (next == null) {
          next = nextChunk();
        }
        return next != null;
      }

      @Override
      public ChatChunk next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ChatChunk chunk = next;
        next = null;
        return chunk;
      }
    };
  }

  @Override
  public String model() {
    return attempt == null ? "" : attempt.deployment().name();
  }

  @Override
  public List<Attempt> attempts() {
    return route.attempts();
  }

  @Override
  public @Nullable Usage usage() {
    // What the usage chunk says, or would say had the caller asked for one: the upstream's figures, else an
    // estimate — so a stream without reported usage still counts against tpm limits and budgets.
    if (!done) {
      return null;
    }
    if (upstreamUsageChunk != null) {
      return upstreamUsageChunk.usage();
    }
    return attempt == null || attemptCounted ? brokenUsage
        : brokenUsage.plus(attemptUsage != null ? attemptUsage : estimate());
  }

  @Override
  public ChatResponse collect() {
    ChunkAssembler answer = new ChunkAssembler();
    for (ChatChunk chunk : this) {
      answer.add(chunk);
    }
    return answer.response(usage()).routed(model(), attempts());
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(source);
    synchronized (this) {
      if (!done && !reading) {
        abandon();
      }
    }
  }

  private static void closeQuietly(@Nullable ChunkSource s) {
    if (s != null) {
      try {
        s.close();
      } catch (RuntimeException ignored) {
        // Closing is best effort.
      }
    }
  }
}
