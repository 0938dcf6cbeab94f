package dev.baton.server.pipeline;

import dev.baton.Attempt;
import dev.baton.Usage;
import dev.baton.store.AttemptRecord;
import dev.baton.store.RequestRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The request log: once a request is over, one row — who asked (the virtual key and its team; none for
 * the master key or an open gateway), the model asked for, who answered, every attempt, the tokens, the
 * cost, the latency, the status, the cache, the request id and what went wrong. Handing the row over only
 * queues it ({@code KeyPlatform::record}); it is written behind, in batches, off the request path.
 *
 * <p>It sits after authentication, so every request of a known caller is logged: answered, failed,
 * refused for its limits or budget, or bad. Requests without a key that works are not (a flood of them
 * must not fill the database), and neither are plain successes that asked for no model (listing models,
 * reading a stored response). With {@code logging.store_content} it asks the door to keep the answer, and
 * the row also has the request body and the answer.
 */
public final class SpendRecord implements Filter {

  /** Takes a finished request's row, without blocking: {@code KeyPlatform::record}. */
  @FunctionalInterface
  public interface Recorder {
    void record(RequestRecord row);
  }

  private final Recorder recorder;
  private final Costs costs;
  private final Clock clock;
  private final boolean storeContent;

  /** @param storeContent {@code logging.store_content}: keep each request's body and answer in its row */
  public SpendRecord(Recorder recorder, Costs costs, Clock clock, boolean storeContent) {
    this.recorder = recorder;
    this.costs = costs;
    this.clock = clock;
    this.storeContent = storeContent;
  }

  @Override
  public void handle(Exchange exchange, Chain chain) {
    Instant time = clock.instant();
    if (storeContent) {
      exchange.keepContent();
    }
    chain.proceed();
    if (exchange.model() == null && exchange.error() == null && exchange.status() < 400) {
      return;
    }
    recorder.record(row(exchange, time));
  }

  private RequestRecord row(Exchange exchange, Instant time) {
    VirtualKeyCaller key = exchange.caller() instanceof VirtualKeyCaller k ? k : null;
    Usage used = exchange.usage();
    CacheStatus cache = exchange.cache();
    RequestRecord.Builder row = RequestRecord.builder(time)
        .keyId(key == null ? null : key.key().keyId())
        .teamId(key == null ? null : key.key().teamId())
        .route(exchange.route())
        .model(exchange.model())
        .answeredBy(answeredBy(exchange.attempts()))
        .attempts(attempts(exchange.attempts()))
        .tokens(used == null ? 0 : used.promptTokens(), used == null ? 0 : used.completionTokens())
        .costUsd(costs.of(exchange))
        .latencyMs(exchange.elapsedNanos() / 1_000_000)
        .status(exchange.status())
        .cache(cache == null ? null : cache.header())
        .requestId(exchange.requestId())
        .error(exchange.error());
    if (storeContent) {
      byte[] body = exchange.bodyIfRead();
      row.content(body == null ? null : new String(body, StandardCharsets.UTF_8), exchange.answerContent());
    }
    return row.build();
  }

  /** The public name of the model whose attempt answered; null when none did. */
  private static @Nullable String answeredBy(List<Attempt> trail) {
    for (int i = trail.size() - 1; i >= 0; i--) {
      if (trail.get(i).outcome() == Attempt.Outcome.SUCCEEDED) {
        return trail.get(i).model();
      }
    }
    return null;
  }

  /** The attempt trail as the log keeps it: deployment, {@code success} or the failure's kind, why, how long. */
  static List<AttemptRecord> attempts(List<Attempt> trail) {
    List<AttemptRecord> out = new ArrayList<>(trail.size());
    for (Attempt a : trail) {
      String outcome = switch (a.outcome()) {
        case SUCCEEDED -> "success";
        case FAILED -> a.error() == null ? "failed" : a.error().kind();
        case SKIPPED -> "skipped";
        case CANCELLED -> "cancelled";
      };
      out.add(new AttemptRecord(a.deployment(), outcome,
          a.outcome() == Attempt.Outcome.SUCCEEDED ? null : a.reason(), a.latency().toMillis()));
    }
    return out;
  }
}
