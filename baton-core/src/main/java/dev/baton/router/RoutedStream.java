package dev.baton.router;

import dev.baton.AllModelsFailedException;
import dev.baton.Attempt;
import dev.baton.BadRequestException;
import dev.baton.BatonEvent;
import dev.baton.BatonException;
import dev.baton.ChatChunk;
import dev.baton.ChatResponse;
import dev.baton.ChatStream;
import dev.baton.Choice;
import dev.baton.FinishReason;
import dev.baton.Message;
import dev.baton.ToolCall;
import dev.baton.ToolCallDelta;
import dev.baton.UpstreamException;
import dev.baton.Usage;
import dev.baton.provider.Call;
import dev.baton.provider.ChunkSource;
import dev.baton.provider.Provider;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * A stream that survives its upstream. It is handed to the caller once a model has started answering;
 * if that model breaks off (reset, stall, error event, missing end), the same {@link Route} finds the
 * next candidate and asks it to continue from the text already sent — as an assistant prefill where the
 * target takes one, otherwise as a request for the remainder — so the caller reads one whole answer.
 * When no candidate is left, or the answer had tool calls (which cannot be resumed), iteration ends
 * with a {@link BatonException}: never with a truncated answer that looks complete.
 */
public final class RoutedStream implements ChatStream {

  /** Opens one attempt's stream; with text already sent, a continuation of it. */
  @FunctionalInterface
  public interface Opener {
    /**
     * @param sentSoFar the answer text the caller already has; empty for the first attempt
     * @param prefill whether the target continues a trailing assistant message
     */
    ChunkSource open(Provider provider, Call call, String sentSoFar, boolean prefill);
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
  private boolean toolCalls;
  private boolean resumed;
  private Usage brokenUsage = Usage.NONE;
  private @Nullable Usage attemptUsage;
  private @Nullable ChatChunk upstreamUsageChunk;
  private @Nullable ChatChunk lastChunk;
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

  /** A stream that has started answering: its source, and the chunks up to and including the first answer. */
  private record Opened(ChunkSource source, List<ChatChunk> chunks, boolean ended) {}

  /**
   * Finds a deployment that starts answering: runs attempts along the route (hedged, if the group hedges)
   * until one produces its first content. With {@code cause}, it is a continuation after a break.
   */
  void establish(@Nullable UpstreamException cause) {
    String brokenFrom = attempt == null ? null : attempt.deployment().name();
    String sentSoFar = sent.toString();
    boolean continuing = cause != null;
    Router.Won<Opened> won = router.run(route,
        next -> open(next, sentSoFar, continuing),
        opened -> closeQuietly(opened.source()),
        (next, e) -> {
          if (e instanceof BadRequestException && continuing && !sentSoFar.isEmpty()
              && next.deployment().assistantPrefill()) {
            route.prefillRejected(next, e);
          } else {
            route.failed(next, e);
          }
        });
    attempt = won.attempt();
    source = won.value().source();
    attemptCharacters = 0;
    attemptUsage = null;
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

  private Opened open(Try next, String sentSoFar, boolean continuing) {
    Deployment d = next.deployment();
    ChunkSource opened = opener.open(d.provider(), next.call(), sentSoFar, d.assistantPrefill());
    try {
      if (closed) {
        throw new CancellationException("closed");
      }
      List<ChatChunk> chunks = new ArrayList<>(2);
      ChatChunk chunk;
      while ((chunk = opened.next()) != null) {
        if (chunk.hasAnswer()) {
          chunks.add(chunk);
          return new Opened(opened, chunks, false);
        }
        if (!continuing || chunk.usage() != null) {
          chunks.add(chunk);
        }
      }
      return new Opened(opened, chunks, true);
    } catch (RuntimeException e) {
      closeQuietly(opened);
      throw e;
    }
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
      } else {
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
    Usage total = brokenUsage.plus(attemptUsage != null ? attemptUsage : estimate(attemptCharacters));
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
    brokenUsage = brokenUsage.plus(attemptUsage != null ? attemptUsage : estimate(attemptCharacters));
    if (toolCalls) {
      done = true;
      throw new AllModelsFailedException("The answer from " + broken.deployment().id()
          + " broke off during a tool call, which cannot be resumed: " + e.getMessage(), e, null, route.attempts());
    }
    route.renewDeadline(router.config().timeout());
    try {
      establish(e);
    } catch (BatonException final_) {
      done = true;
      throw final_;
    }
  }

  /** Output tokens of a broken attempt that reported none, estimated at four characters a token. */
  private static Usage estimate(int characters) {
    return Usage.of(0, (characters + 3) / 4);
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
    return done && upstreamUsageChunk != null ? upstreamUsageChunk.usage() : (done ? brokenUsage.plus(
        attemptUsage == null ? Usage.NONE : attemptUsage) : null);
  }

  @Override
  public ChatResponse collect() {
    StringBuilder text = new StringBuilder();
    TreeMap<Integer, String[]> calls = new TreeMap<>();
    FinishReason finish = null;
    String id = "";
    long created = 0;
    String upstreamModel = "";
    for (ChatChunk chunk : this) {
      text.append(chunk.text());
      for (ToolCallDelta delta : chunk.toolCalls()) {
        String[] call = calls.computeIfAbsent(delta.index(), i -> new String[] {"", "", ""});
        if (delta.id() != null) {
          call[0] = delta.id();
        }
        if (delta.name() != null) {
          call[1] = delta.name();
        }
        if (delta.arguments() != null) {
          call[2] += delta.arguments();
        }
      }
      if (chunk.finishReason() != null) {
        finish = chunk.finishReason();
      }
      if (!chunk.id().isEmpty()) {
        id = chunk.id();
        created = chunk.created();
        upstreamModel = chunk.upstreamModel();
      }
    }
    List<ToolCall> toolCallList = calls.values().stream().map(c -> new ToolCall(c[0], c[1], c[2])).toList();
    Message message = toolCallList.isEmpty()
        ? Message.assistant(text.toString())
        : Message.assistant(text.isEmpty() ? null : text.toString(), toolCallList);
    Usage usage = usage();
    return new ChatResponse(id, created, upstreamModel, List.of(new Choice(0, message, finish)),
        usage == null ? Usage.NONE : usage, null).routed(model(), attempts());
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
