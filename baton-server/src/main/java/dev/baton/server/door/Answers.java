package dev.baton.server.door;

import dev.baton.Attempt;
import dev.baton.ChatStream;
import dev.baton.Usage;
import dev.baton.server.pipeline.Exchange;
import dev.baton.server.pipeline.HttpCall;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * What every door's answer has in common: the headers that say which model answered and after how many
 * attempts ({@code x-baton-model}, {@code x-baton-attempts}), the head of a stream, and recording the
 * outcome on the exchange as it is written.
 */
public final class Answers {

  public static final HeaderName SERVED_BY = HeaderNames.create("x-baton-model");
  public static final HeaderName ATTEMPTS = HeaderNames.create("x-baton-attempts");
  /** The usual attempt counts' headers, made once: Helidon checks and encodes each header it is given. */
  private static final Header[] ATTEMPT_COUNTS = IntStream.range(0, 16)
      .mapToObj(n -> HeaderValues.createCached(ATTEMPTS, n)).toArray(Header[]::new);
  private static final Header NO_CACHE = HeaderValues.createCached(HeaderNames.CACHE_CONTROL, "no-cache");

  private Answers() {}

  /**
   * Sends a model's whole answer as JSON and records it on the exchange.
   *
   * @param model the public name of the model that answered
   */
  public static void send(Exchange exchange, byte[] json, String model, List<Attempt> attempts, @Nullable Usage usage) {
    exchange.answered(model, attempts, usage);
    if (exchange.keepsContent()) {
      exchange.answerContent(new String(json, StandardCharsets.UTF_8));
    }
    HttpCall http = exchange.http();
    http.header(HeaderValues.CONTENT_TYPE_JSON);
    http.header(HeaderValues.create(SERVED_BY, model));
    http.header(attemptsHeader(Exchange.upstreamAttempts(attempts)));
    http.send(json);
  }

  /** Sends JSON that no model wrote: a list of models, a health report. */
  public static void send(HttpCall http, byte[] json) {
    http.header(HeaderValues.CONTENT_TYPE_JSON);
    http.send(json);
  }

  /**
   * Starts a streamed answer — 200, {@code text/event-stream}, the model and attempts headers — and records
   * who is answering. The door writes the events and records how the stream ended.
   */
  public static OutputStream startStream(Exchange exchange, ChatStream stream) {
    exchange.streamStarted(stream.model(), stream.attempts());
    HttpCall http = exchange.http();
    http.status(200);
    http.header(HeaderValues.CONTENT_TYPE_EVENT_STREAM);
    http.header(NO_CACHE);
    http.header(HeaderValues.create(SERVED_BY, stream.model()));
    http.header(attemptsHeader(fromCache(stream) ? 0 : streamAttempts(stream.attempts())));
    return http.stream();
  }

  /** Whether a stream is a cached answer played back: it made no upstream attempt. */
  private static boolean fromCache(ChatStream stream) {
    return stream.cache() != null && stream.cache().hit();
  }

  /**
   * The upstream attempts of a stream that has started answering. The answering attempt is recorded only
   * when its stream ends, so unless it already has (an empty answer), it is counted here.
   */
  static int streamAttempts(List<Attempt> attempts) {
    boolean answerRecorded = !attempts.isEmpty()
        && attempts.get(attempts.size() - 1).outcome() == Attempt.Outcome.SUCCEEDED;
    return Exchange.upstreamAttempts(attempts) + (answerRecorded ? 0 : 1);
  }

  private static Header attemptsHeader(int attempts) {
    return attempts < ATTEMPT_COUNTS.length ? ATTEMPT_COUNTS[attempts] : HeaderValues.create(ATTEMPTS, attempts);
  }
}
