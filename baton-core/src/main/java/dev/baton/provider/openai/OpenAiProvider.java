package dev.baton.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.ChatChunk;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.CompletionRequest;
import dev.baton.CompletionResponse;
import dev.baton.ContentPolicyException;
import dev.baton.EmbeddingRequest;
import dev.baton.EmbeddingResponse;
import dev.baton.FinishReason;
import dev.baton.UnreadableResponseException;
import dev.baton.UpstreamException;
import dev.baton.provider.Call;
import dev.baton.provider.MalformedEvents;
import dev.baton.provider.Capabilities;
import dev.baton.provider.ChunkSource;
import dev.baton.provider.ResponsesApi;
import dev.baton.provider.ErrorDetails;
import dev.baton.provider.Provider;
import dev.baton.provider.UpstreamErrors;
import dev.baton.transport.HttpResult;
import dev.baton.transport.HttpStream;
import dev.baton.transport.HttpTransport;
import dev.baton.transport.RateLimitReset;
import dev.baton.transport.RetryAfter;
import dev.baton.transport.SseReader;
import dev.baton.wire.Json;
import dev.baton.wire.NotJsonException;
import dev.baton.wire.OpenAiErrorReader;
import dev.baton.wire.OpenAiRequestWriter;
import dev.baton.wire.OpenAiResponseReader;
import dev.baton.wire.OpenAiResponseReader.ErrorField;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deployment on OpenAI's API or a server that imitates it. Requests that came in as OpenAI JSON go
 * out as that JSON with only the model replaced, and answers come back byte for byte, so fields Baton
 * does not know survive the trip.
 */
public final class OpenAiProvider implements Provider {

  private static final Logger log = LoggerFactory.getLogger(OpenAiProvider.class);
  private static final int MAX_ERROR_BODY = 64 * 1024;
  private static final long END_GRACE_NANOS = Duration.ofSeconds(2).toNanos();

  /** Where the operations live and how requests are authorized: OpenAI's layout, or Azure's. */
  public interface Endpoint {
    /** The URI of an operation such as {@code chat/completions}. */
    URI uri(String operation);

    /** Adds the credentials. */
    void authorize(HttpRequest.Builder request);

    /** Adds the credentials, which some endpoints fetch within the attempt's time limits (Vertex AI's tokens). */
    default void authorize(HttpRequest.Builder request, Call call) {
      authorize(request);
    }

    /** The URI of an operation, for a streamed answer or not: some hosts stream from another method. */
    default URI uri(String operation, boolean stream) {
      return uri(operation);
    }

    /** The key, so an upstream message that echoes it can be cleaned; null when there is none. */
    @Nullable String secret();
  }

  private final Endpoint endpoint;
  private final String model;
  private final HttpTransport http;
  private final boolean alwaysIncludeUsage;
  private final Capabilities capabilities;
  private final List<String> rateLimitResets;
  private final @Nullable ResponsesApi responses;

  /**
   * @param alwaysIncludeUsage ask every stream for its usage, for metrics, even when the caller did not
   *     (only for upstreams known to accept {@code stream_options})
   */
  public OpenAiProvider(
      Endpoint endpoint, String model, HttpTransport http, boolean alwaysIncludeUsage, Capabilities capabilities) {
    this(endpoint, model, http, alwaysIncludeUsage, capabilities, List.of(), false);
  }

  /**
   * @param rateLimitResets headers that say when a rate-limit window reopens, read on a 429 without
   *     {@code Retry-After} (see {@link RateLimitReset})
   * @param nativeResponses whether the deployment takes OpenAI's Responses API as it is
   *     ({@code responses_api: native}), so {@code /v1/responses} requests are passed through to it
   */
  public OpenAiProvider(Endpoint endpoint, String model, HttpTransport http, boolean alwaysIncludeUsage,
      Capabilities capabilities, List<String> rateLimitResets, boolean nativeResponses) {
    this.endpoint = endpoint;
    this.model = model;
    this.http = http;
    this.alwaysIncludeUsage = alwaysIncludeUsage;
    this.capabilities = capabilities;
    this.rateLimitResets = List.copyOf(rateLimitResets);
    this.responses = nativeResponses ? new NativeResponses(this, model, http, endpoint.secret()) : null;
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  @Override
  public @Nullable ResponsesApi responsesApi() {
    return responses;
  }

  @Override
  public ChatResponse chat(ChatRequest request, Call call) {
    ChatResponse response = send(call, "chat/completions", OpenAiRequestWriter.chat(request, model, false, false),
        body -> OpenAiResponseReader.chat(body, model));
    return unlessWithheld(response, call, "finish_reason content_filter");
  }

  /** The answer, unless the content filter withheld all of it: then a content-policy refusal. */
  static ChatResponse unlessWithheld(ChatResponse response, Call call, String signal) {
    if (response.finishReason() == FinishReason.CONTENT_FILTER && response.text().isEmpty()
        && response.toolCalls().isEmpty()) {
      throw new ContentPolicyException(call.source(200, "content_filter", null),
          "the provider's content filter withheld the answer (" + signal + ")");
    }
    return response;
  }

  @Override
  public ChunkSource streamChat(ChatRequest request, Call call) {
    boolean expectUsage = alwaysIncludeUsage || request.includeUsage();
    byte[] body = OpenAiRequestWriter.chat(request, model, true, alwaysIncludeUsage);
    return openStream(call, "chat/completions", body, expectUsage, request.n() != null && request.n() > 1);
  }

  @Override
  public CompletionResponse complete(CompletionRequest request, Call call) {
    return send(call, "completions", OpenAiRequestWriter.completion(request, model, false, false),
        body -> OpenAiResponseReader.completion(body, model));
  }

  @Override
  public ChunkSource streamCompletion(CompletionRequest request, Call call) {
    boolean expectUsage = alwaysIncludeUsage || request.includeUsage();
    byte[] body = OpenAiRequestWriter.completion(request, model, true, alwaysIncludeUsage);
    return openStream(call, "completions", body, expectUsage, request.prompts().size() > 1);
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, Call call) {
    if (!capabilities.embeddings()) {
      return Provider.super.embed(request, call);
    }
    return send(call, "embeddings", OpenAiRequestWriter.embedding(request, model),
        body -> OpenAiResponseReader.embedding(body, model));
  }

  /** Reads an answer from the bytes it came in, which it keeps so that it can be passed on unchanged. */
  @FunctionalInterface
  private interface AnswerReader<T> {
    T read(byte[] body) throws IOException;
  }

  private <T> T send(Call call, String operation, byte[] body, AnswerReader<T> reader) {
    HttpResult result = http.send(call, post(call, operation, body, false));
    if (!result.isSuccess()) {
      throw error(call, result.status(), result.headers(), result.body());
    }
    return readAnswer(call, result.status(), result::headers, result.body(), reader);
  }

  /**
   * Reads a success's body: one that is not JSON, or that is an error object rather than an answer, fails as
   * that; one of the wrong shape is an unreadable answer.
   */
  private <T> T readAnswer(
      Call call, int status, Supplier<HttpHeaders> headers, byte[] body, AnswerReader<T> reader) {
    return call.read(() -> {
      try {
        return reader.read(body);
      } catch (NotJsonException e) {
        throw call.notJson(body, e);
      } catch (OpenAiResponseReader.ErrorReportException e) {
        throw error(call, status, headers.get(), body);
      }
    });
  }

  HttpRequest post(Call call, String operation, byte[] body, boolean stream) {
    HttpRequest.Builder request = HttpTransport.request(endpoint.uri(operation, stream))
        .header("Content-Type", "application/json")
        .header("Accept", stream ? "text/event-stream" : "application/json")
        .POST(HttpTransport.body(body));
    endpoint.authorize(request, call);
    return request.build();
  }

  private ChunkSource openStream(Call call, String operation, byte[] body, boolean expectUsage, boolean severalChoices) {
    HttpStream stream = http.stream(call, post(call, operation, body, true));
    if (!stream.isSuccess()) {
      throw error(call, stream.status(), stream.headers(), stream.readAll(MAX_ERROR_BODY));
    }
    String type = stream.headers().firstValue("content-type").orElse("");
    if (type.startsWith("application/json")) {
      // Some servers ignore "stream" or report errors as plain JSON with a success status.
      byte[] whole = stream.readAll(MAX_ERROR_BODY * 16);
      ChatResponse answer = readAnswer(call, 0, stream::headers, whole,
          json -> OpenAiResponseReader.chat(json, model, ErrorField.ALWAYS_REPORTS_AN_ERROR));
      return wholeAnswerAsStream(answer);
    }
    return ChunkSource.over(stream, new EventReader(call, stream, expectUsage, severalChoices));
  }

  private static ChunkSource wholeAnswerAsStream(ChatResponse answer) {
    List<ChatChunk> chunks = List.of(
        new ChatChunk(answer.id(), answer.created(), answer.upstreamModel(), 0, null, answer.text(), List.of(),
            answer.finishReason() == null ? FinishReason.STOP : answer.finishReason(), null, null),
        new ChatChunk(answer.id(), answer.created(), answer.upstreamModel(), 0, null, null, List.of(), null,
            answer.usage(), null));
    var iterator = chunks.iterator();
    return new ChunkSource() {
      @Override
      public @Nullable ChatChunk next() {
        return iterator.hasNext() ? iterator.next() : null;
      }

      @Override
      public void close() {}
    };
  }

  /** Reads OpenAI's {@code data: <chunk>} events until {@code [DONE]}. */
  private final class EventReader implements ChunkSource.Reader {
    private final Call call;
    private final HttpStream stream;
    private final SseReader events;
    private final boolean expectUsage;
    private final boolean severalChoices;
    private boolean finished;
    private final MalformedEvents malformed;

    EventReader(Call call, HttpStream stream, boolean expectUsage, boolean severalChoices) {
      this.call = call;
      this.malformed = new MalformedEvents(call);
      this.stream = stream;
      this.events = new SseReader(stream.body());
      this.expectUsage = expectUsage;
      this.severalChoices = severalChoices;
    }

    @Override
    public @Nullable ChatChunk read() {
      while (true) {
        SseReader.Event event = nextEvent(events, call, finished);
        if (event == null) {
          if (finished) {
            return null;
          }
          throw call.connectionFailed("the stream ended before the answer was complete (no finish_reason, no [DONE])", null);
        }
        if (event.isDone()) {
          return null;
        }
        if (event.error() != null) {
          throw UpstreamErrors.classify(call, 0, null, inStreamError(event.error()), endpoint.secret());
        }
        ChatChunk chunk;
        try {
          chunk = OpenAiResponseReader.chunk(event.data(), model);
        } catch (OpenAiResponseReader.ErrorReportException e) {
          throw errorEvent(event.data());
        } catch (IOException e) {
          malformed.skip(e); // not JSON, or not a chunk
          continue;
        }
        if (chunk.finishReason() != null) {
          finished = true;
        }
        if (finished && !severalChoices && (!expectUsage || chunk.usage() != null)) {
          stream.awaitingEnd(END_GRACE_NANOS);
        }
        return chunk;
      }
    }

    /**
     * The failure an event reports in place of a chunk. Errors are rare, so the event is read again, as a
     * tree, for the error reader; it was JSON a moment ago, so {@code call.json} will not fail.
     */
    private UpstreamException errorEvent(byte[] data) {
      JsonNode root = call.json(data);
      ErrorDetails details = OpenAiErrorReader.read(root);
      return UpstreamErrors.classify(call, statusOf(root.get("error")), null, details, endpoint.secret());
    }
  }

  /**
   * The next event of a stream, or null at the end of its body — or at a read that failed once the answer
   * was complete ({@code finished}), when only the end marker went missing. A body that is not server-sent
   * events is an unreadable answer.
   */
  static SseReader.@Nullable Event nextEvent(SseReader events, Call call, boolean finished) {
    try {
      return events.next();
    } catch (UpstreamException e) {
      if (finished) {
        return null;
      }
      throw e;
    } catch (IllegalStateException e) {
      throw new UnreadableResponseException(call.source(), "unreadable stream: " + e.getMessage(), e);
    }
  }

  private static ErrorDetails inStreamError(String errorField) {
    try {
      return OpenAiErrorReader.read(Json.parse(errorField.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (IOException e) {
      return ErrorDetails.of(errorField);
    }
  }

  /** The status an in-stream error names (OpenRouter and vLLM put an integer code there), else 0. */
  private static int statusOf(@Nullable JsonNode error) {
    JsonNode code = error == null ? null : error.get("code");
    return code != null && code.isInt() && code.intValue() >= 400 && code.intValue() < 600 ? code.intValue() : 0;
  }

  UpstreamException error(Call call, int status, HttpHeaders headers, byte[] body) {
    Duration retryAfter = RetryAfter.parse(headers);
    if (retryAfter == null && status == 429 && !rateLimitResets.isEmpty()) {
      retryAfter = RateLimitReset.parse(headers, rateLimitResets);
    }
    return UpstreamErrors.classify(call, status, retryAfter, OpenAiErrorReader.read(body), endpoint.secret());
  }
}
