package dev.baton.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.ConnectionFailedException;
import dev.baton.UnreadableResponseException;
import dev.baton.UpstreamException;
import dev.baton.UpstreamException.Source;
import dev.baton.UpstreamTimeoutException;
import dev.baton.UpstreamTimeoutException.Phase;
import dev.baton.wire.Json;
import dev.baton.wire.OpenAiErrorReader;
import java.io.IOException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One attempt at one deployment, as the provider sees it: who it is for (so failures name the right
 * deployment) and the time limits it must keep. Limits are absolute {@link System#nanoTime()} deadlines,
 * already cut short by the request's overall deadline.
 */
public final class Call {

  private final String deployment;
  private final String provider;
  private final long started;
  private final long responseDeadline;
  private final long firstTokenDeadline;
  private final long idleNanos;
  private final long requestDeadline;
  private java.util.Map<String, String> headers = java.util.Map.of();

  /**
   * @param deployment the deployment's id
   * @param provider the provider's name
   * @param timeout the limit for a whole non-streamed answer
   * @param firstTokenTimeout the limit until a stream's first content
   * @param idleTimeout the longest silence between stream chunks
   * @param requestDeadline the request's overall deadline, a {@link System#nanoTime()} value
   */
  public Call(
      String deployment,
      String provider,
      Duration timeout,
      Duration firstTokenTimeout,
      Duration idleTimeout,
      long requestDeadline) {
    this.deployment = deployment;
    this.provider = provider;
    this.started = System.nanoTime();
    this.requestDeadline = requestDeadline;
    this.responseDeadline = Math.min(saturatedAdd(started, timeout.toNanos()), requestDeadline);
    this.firstTokenDeadline = Math.min(saturatedAdd(started, firstTokenTimeout.toNanos()), requestDeadline);
    this.idleNanos = idleTimeout.toNanos();
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  public String deployment() {
    return deployment;
  }

  public String provider() {
    return provider;
  }

  /** When the attempt started, a {@link System#nanoTime()} value. */
  public long started() {
    return started;
  }

  /** The deadline for a whole non-streamed answer. */
  public long responseDeadline() {
    return responseDeadline;
  }

  /** The deadline for a stream's first content. */
  public long firstTokenDeadline() {
    return firstTokenDeadline;
  }

  /** The longest silence allowed between chunks once a stream has started, in nanoseconds. */
  public long idleNanos() {
    return idleNanos;
  }

  /**
   * Adds a header to this attempt's upstream request, replacing any of the same name the provider sets:
   * the attempt's own {@code traceparent}, for one. The transport sends it on whatever request the
   * provider builds, so every HTTP provider carries it without knowing of it.
   */
  public void header(String name, String value) {
    if (headers.isEmpty()) {
      headers = new java.util.LinkedHashMap<>(2);
    }
    headers.put(name, value);
  }

  /** The headers added to this attempt, by name; empty when none was. */
  public java.util.Map<String, String> headers() {
    return headers.isEmpty() ? headers : java.util.Collections.unmodifiableMap(headers);
  }

  /** Time left until {@code deadline}, never negative. */
  public static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  /** The source for a failure that came before any HTTP status. */
  public Source source() {
    return Source.of(deployment, provider);
  }

  /** The source for a failure the upstream reported over HTTP. */
  public Source source(int httpStatus, @Nullable String errorCode, @Nullable Duration retryAfter) {
    return new Source(deployment, provider, httpStatus, errorCode, retryAfter);
  }

  /** The failure for a limit that fired; says which limit when the request's own deadline was the one. */
  public UpstreamTimeoutException timedOut(Phase phase, long deadlineThatFired) {
    Phase actual = phase != Phase.IDLE && deadlineThatFired == requestDeadline && requestDeadline != Long.MAX_VALUE
        ? Phase.DEADLINE
        : phase;
    String message = switch (actual) {
      case RESPONSE -> "no complete answer within " + human(deadlineThatFired - started) + " (timeout)";
      case FIRST_TOKEN -> "no first token within " + human(deadlineThatFired - started) + " (first_token_timeout)";
      case IDLE -> "stream silent for " + human(idleNanos) + " (idle_timeout)";
      case DEADLINE -> "the request's deadline was reached (router.timeout)";
    };
    return new UpstreamTimeoutException(source(), actual, message);
  }

  /** The failure for a connection that was refused, reset or closed early. */
  public UpstreamException connectionFailed(String what, @Nullable Throwable cause) {
    return new ConnectionFailedException(source(), what, cause);
  }

  /** Reads an answer into a value; throws {@link IOException} when the answer has the wrong shape. */
  @FunctionalInterface
  public interface Reading<T> {
    T read() throws IOException;
  }

  /** Parses an answer's JSON; a success whose body is not JSON is an unreadable answer, retried elsewhere. */
  public JsonNode json(byte[] body) {
    try {
      return Json.parse(body);
    } catch (IOException e) {
      throw notJson(body, e);
    }
  }

  /** The failure for a success whose body is not JSON: an unreadable answer, retried elsewhere. */
  public UnreadableResponseException notJson(byte[] body, Throwable cause) {
    return new UnreadableResponseException(source(200, null, null),
        "the answer is not JSON: " + OpenAiErrorReader.plainText(body), cause);
  }

  /** Reads an answer; one of the wrong shape is an unreadable answer, retried elsewhere. */
  public <T> T read(Reading<T> reading) {
    try {
      return reading.read();
    } catch (IOException e) {
      throw new UnreadableResponseException(source(200, null, null), "unreadable answer: " + e.getMessage(), e);
    }
  }

  private static String human(long nanos) {
    long ms = Math.round(nanos / 1e6);
    return ms < 1000 ? ms + "ms" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
  }
}
