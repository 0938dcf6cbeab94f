package dev.baton.local.gguf;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import dev.baton.ChatChunk;
import dev.baton.FinishReason;
import dev.baton.Role;
import dev.baton.UpstreamException;
import dev.baton.UpstreamTimeoutException.Phase;
import dev.baton.Usage;
import dev.baton.local.InferencePool;
import dev.baton.provider.Call;
import dev.baton.provider.ChunkSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One answer being generated. A thread of the deployment's {@link InferencePool} drives llama.cpp and
 * puts each token's text on a queue; the caller reads the queue as a stream of chunks, within the
 * attempt's time limits (until the first token, between tokens, or for the whole answer).
 *
 * <p>Only the generating thread ever calls into the binding for this answer. Cancelling from the
 * caller's side only raises a flag the generating thread checks after each token: the binding's
 * {@code cancel} while another thread waits for that answer's next token would leave that thread waiting
 * for ever.
 *
 * <p>llama.cpp streams one output per generated token (a character split over several byte tokens comes
 * with its last one) and a last one that ends the answer, so the outputs count the completion tokens.
 * The binding does not say why an answer ended; it ended on its length when it used its whole token
 * budget (its {@code max_tokens}, or the room left in the context), and on a natural end or a stop
 * sequence otherwise.
 */
final class Generation implements ChunkSource {

  /** What the generating thread reports. */
  private sealed interface Event permits Text, Done, Failed {}

  private record Text(String text) implements Event {}

  private record Done(int tokens) implements Event {}

  private record Failed(UpstreamException failure) implements Event {}

  /** A whole answer. */
  record Answer(String text, FinishReason finish, Usage usage) {}

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Call call;
  private final String id;
  private final long created;
  private final String model;
  private final int promptTokens;
  private final int budget;
  private final Set<Generation> running;
  private volatile boolean cancelled;
  private volatile @Nullable Future<?> work;
  private boolean roleSent;
  private boolean answering;
  private @Nullable Usage usage;
  private boolean ended;

  private Generation(Call call, String model, int promptTokens, int budget, Set<Generation> running) {
    this.call = call;
    this.id = "chatcmpl-" + java.util.UUID.randomUUID().toString().replace("-", "");
    this.created = System.currentTimeMillis() / 1000;
    this.model = model;
    this.promptTokens = promptTokens;
    this.budget = budget;
    this.running = running;
  }

  /**
   * Queues a generation on the pool; it starts when a thread is free.
   *
   * @param budget the most tokens the answer may have, as {@code parameters} say: its token limit, or the
   *     room left in the context
   * @param running the deployment's generations: this one is in it until it is done with the binding
   */
  static Generation start(LlamaModel llama, InferencePool pool, InferenceParameters parameters, Call call,
      String model, int promptTokens, int budget, Set<Generation> running) {
    Generation g = new Generation(call, model, promptTokens, budget, running);
    running.add(g);
    g.work = pool.submit(() -> {
      g.produce(llama, parameters);
      return null;
    });
    return g;
  }

  /** Runs on a pool thread: drives llama.cpp and reports each token. */
  private void produce(LlamaModel llama, InferenceParameters parameters) {
    if (cancelled) {
      running.remove(this);
      return;
    }
    int tokens = 0;
    try {
      LlamaIterator outputs = llama.generate(parameters).iterator();
      while (outputs.hasNext()) {
        LlamaOutput output = outputs.next();
        boolean last = !outputs.hasNext();
        if (!output.text.isEmpty()) {
          events.add(new Text(output.text));
        }
        if (last) {
          break;
        }
        tokens++;
        if (cancelled) {
          outputs.cancel();
          return;
        }
      }
      events.add(new Done(tokens));
    } catch (RuntimeException e) {
      if (!LlamaErrors.isLlama(e)) {
        throw e;
      }
      events.add(new Failed(LlamaErrors.classify(call, e)));
    } finally {
      running.remove(this);
    }
  }

  /** Stops the generation at its next token; if it has not started, it never will. */
  void cancel() {
    cancelled = true;
    Future<?> w = work;
    if (w != null && w.cancel(false)) {
      running.remove(this); // it had not started, and now never will
    }
  }

  /** Reads the whole answer within the attempt's limit for a whole answer. */
  Answer collect() {
    StringBuilder text = new StringBuilder();
    try {
      while (true) {
        Event e = take(call.responseDeadline(), Phase.RESPONSE);
        switch (e) {
          case Text t -> text.append(t.text());
          case Done d -> {
            return new Answer(text.toString(), finish(d.tokens()), Usage.of(promptTokens, d.tokens()));
          }
          case Failed f -> throw f.failure();
        }
      }
    } finally {
      cancel();
    }
  }

  /** Whether the answer ran out of tokens or context rather than coming to its end. */
  private FinishReason finish(int tokens) {
    return tokens >= budget ? FinishReason.LENGTH : FinishReason.STOP;
  }

  @Override
  public @Nullable ChatChunk next() {
    if (!roleSent) {
      roleSent = true;
      return new ChatChunk(id, created, model, 0, Role.ASSISTANT, "", List.of(), null, null, null);
    }
    if (usage != null) {
      Usage u = usage;
      usage = null;
      ended = true;
      return new ChatChunk(id, created, model, 0, null, null, List.of(), null, u, null);
    }
    if (ended) {
      return null;
    }
    long deadline = answering ? idleDeadline() : call.firstTokenDeadline();
    Event e = take(deadline, answering ? Phase.IDLE : Phase.FIRST_TOKEN);
    return switch (e) {
      case Text t -> {
        answering = true;
        yield ChatChunk.text(id, created, model, t.text());
      }
      case Done d -> {
        usage = Usage.of(promptTokens, d.tokens());
        yield new ChatChunk(id, created, model, 0, null, null, List.of(), finish(d.tokens()), null, null);
      }
      case Failed f -> {
        ended = true;
        throw f.failure();
      }
    };
  }

  private long idleDeadline() {
    long now = System.nanoTime();
    long idle = call.idleNanos();
    return idle > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + idle;
  }

  private Event take(long deadline, Phase phase) {
    try {
      Event e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (e == null) {
        cancel();
        throw call.timedOut(phase, deadline);
      }
      return e;
    } catch (InterruptedException ex) {
      cancel();
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for the local model");
    }
  }

  @Override
  public void close() {
    ended = true;
    cancel();
  }
}
