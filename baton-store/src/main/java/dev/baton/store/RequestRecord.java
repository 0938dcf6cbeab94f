package dev.baton.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One row of the spend and request log: a {@code /v1} request that was answered or failed. Its
 * {@link #id()} is made when the request is, so writing a row twice (a replay after an outage) keeps one.
 *
 * @param keyId the virtual key, or {@code null} for the master key or an open gateway
 * @param teamId the key's team at the time of the request
 * @param route the path asked, such as {@code /v1/chat/completions}
 * @param model the public model name asked for
 * @param answeredBy the public name of the deployment that answered; {@code null} when none did
 * @param costUsd what the answer cost (0 for a cache hit or a failure)
 * @param status the HTTP status the caller got
 * @param cache {@code hit}, {@code semantic-hit}, {@code miss}, {@code bypass}, or {@code null} without a cache
 * @param requestId the {@code x-request-id} of the request
 * @param error the failure's message, for a failed request
 * @param prompt the request's content, only with {@code logging.store_content: true}
 * @param answer the answer's content, only with {@code logging.store_content: true}
 */
public record RequestRecord(
    String id,
    Instant time,
    @Nullable String keyId,
    @Nullable String teamId,
    @Nullable String route,
    @Nullable String model,
    @Nullable String answeredBy,
    List<AttemptRecord> attempts,
    long inputTokens,
    long outputTokens,
    double costUsd,
    long latencyMs,
    int status,
    @Nullable String cache,
    @Nullable String requestId,
    @Nullable String error,
    @Nullable String prompt,
    @Nullable String answer) {

  public RequestRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(time, "time");
    attempts = List.copyOf(attempts);
  }

  /** A builder with a fresh id ({@code req_}, the time and 80 random bits: ids sort by time) and the given time. */
  public static Builder builder(Instant time) {
    return new Builder(dev.baton.store.keys.Secrets.newTimeOrderedId("req_", time.toEpochMilli()), time);
  }

  /** The same row without its prompt and answer. */
  public RequestRecord withoutContent() {
    return prompt == null && answer == null ? this
        : new RequestRecord(id, time, keyId, teamId, route, model, answeredBy, attempts, inputTokens, outputTokens,
            costUsd, latencyMs, status, cache, requestId, error, null, null);
  }

  /** Builds a {@link RequestRecord}; unset fields are null, zero or empty. */
  public static final class Builder {
    private String id;
    private final Instant time;
    private @Nullable String keyId;
    private @Nullable String teamId;
    private @Nullable String route;
    private @Nullable String model;
    private @Nullable String answeredBy;
    private List<AttemptRecord> attempts = List.of();
    private long inputTokens;
    private long outputTokens;
    private double costUsd;
    private long latencyMs;
    private int status;
    private @Nullable String cache;
    private @Nullable String requestId;
    private @Nullable String error;
    private @Nullable String prompt;
    private @Nullable String answer;

    private Builder(String id, Instant time) {
      this.id = id;
      this.time = time;
    }

    public Builder id(String value) {
      this.id = value;
      return this;
    }

    public Builder keyId(@Nullable String value) {
      this.keyId = value;
      return this;
    }

    public Builder teamId(@Nullable String value) {
      this.teamId = value;
      return this;
    }

    public Builder route(@Nullable String value) {
      this.route = value;
      return this;
    }

    public Builder model(@Nullable String value) {
      this.model = value;
      return this;
    }

    public Builder answeredBy(@Nullable String value) {
      this.answeredBy = value;
      return this;
    }

    public Builder attempts(List<AttemptRecord> value) {
      this.attempts = value;
      return this;
    }

    public Builder tokens(long input, long output) {
      this.inputTokens = input;
      this.outputTokens = output;
      return this;
    }

    public Builder costUsd(double value) {
      this.costUsd = value;
      return this;
    }

    public Builder latencyMs(long value) {
      this.latencyMs = value;
      return this;
    }

    public Builder status(int value) {
      this.status = value;
      return this;
    }

    public Builder cache(@Nullable String value) {
      this.cache = value;
      return this;
    }

    public Builder requestId(@Nullable String value) {
      this.requestId = value;
      return this;
    }

    public Builder error(@Nullable String value) {
      this.error = value;
      return this;
    }

    /** The prompt and the answer; the spend log drops them unless {@code logging.store_content} is on. */
    public Builder content(@Nullable String promptText, @Nullable String answerText) {
      this.prompt = promptText;
      this.answer = answerText;
      return this;
    }

    public RequestRecord build() {
      return new RequestRecord(id, time, keyId, teamId, route, model, answeredBy, attempts, inputTokens, outputTokens,
          costUsd, latencyMs, status, cache, requestId, error, prompt, answer);
    }
  }
}
