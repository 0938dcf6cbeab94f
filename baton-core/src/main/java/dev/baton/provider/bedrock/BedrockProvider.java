package dev.baton.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.UnsupportedRequestException;
import dev.baton.ChatChunk;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.ContentPolicyException;
import dev.baton.EmbeddingRequest;
import dev.baton.EmbeddingResponse;
import dev.baton.FinishReason;
import dev.baton.Role;
import dev.baton.ToolCallDelta;
import dev.baton.UnreadableResponseException;
import dev.baton.UpstreamException;
import dev.baton.Usage;
import dev.baton.provider.Call;
import dev.baton.provider.Capabilities;
import dev.baton.provider.ChunkSource;
import dev.baton.provider.ErrorDetails;
import dev.baton.provider.Provider;
import dev.baton.provider.UpstreamErrors;
import dev.baton.transport.HttpResult;
import dev.baton.transport.HttpStream;
import dev.baton.transport.HttpTransport;
import dev.baton.transport.RetryAfter;
import dev.baton.wire.Json;
import dev.baton.wire.OpenAiErrorReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model on Amazon Bedrock, through the Converse API ({@code POST /model/{modelId}/converse} and
 * {@code /converse-stream}). Requests are translated from the OpenAI shape by {@link ConverseRequests};
 * streamed answers arrive as binary event-stream messages and leave as OpenAI-shaped chunks, ending with a
 * finish chunk and then a usage-only chunk.
 *
 * <p>Embeddings go through {@code InvokeModel} for the two families whose bodies are known: Amazon Titan
 * text embeddings (one call per input) and Cohere Embed (up to 96 texts a call). Other models have none.
 */
public final class BedrockProvider implements Provider {

  private static final Logger log = LoggerFactory.getLogger(BedrockProvider.class);

  static final String EVENT_STREAM = "application/vnd.amazon.eventstream";
  private static final int MAX_ERROR_BODY = 64 * 1024;
  private static final long END_GRACE_NANOS = Duration.ofSeconds(2).toNanos();
  /** Cohere Embed takes at most this many texts per call. */
  static final int COHERE_BATCH = 96;

  /** The embedding request bodies Baton knows on Bedrock. */
  enum EmbeddingFamily { TITAN, COHERE }

  private final URI base;
  private final String model;
  private final BedrockAuth auth;
  private final HttpTransport http;
  private final Capabilities capabilities;

  BedrockProvider(URI base, String model, BedrockAuth auth, HttpTransport http, boolean assistantPrefill) {
    this.base = base;
    this.model = model;
    this.auth = auth;
    this.http = http;
    this.capabilities = new Capabilities(assistantPrefill, embeddingFamily(model) != null);
  }

  /** Which embedding body a model id takes, or null when Baton knows none for it. */
  static @Nullable EmbeddingFamily embeddingFamily(String model) {
    // contains, not startsWith: inference-profile ids and ARNs wrap the base model id.
    if (model.contains("amazon.titan-embed")) {
      return EmbeddingFamily.TITAN;
    }
    if (model.contains("cohere.embed")) {
      return EmbeddingFamily.COHERE;
    }
    return null;
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  /** The URI of an operation on this model; the model id is one path segment, with {@code :} and {@code /} encoded. */
  URI uri(String operation) {
    return URI.create(base + "/model/" + SigV4Signer.encode(model, false) + "/" + operation);
  }

  @Override
  public ChatResponse chat(ChatRequest request, Call call) {
    byte[] body = body(request, call);
    HttpResult result = http.send(call, post(uri("converse"), body, "application/json"));
    if (!result.isSuccess()) {
      throw error(call, result.status(), result.headers(), result.body());
    }
    JsonNode root = call.json(result.body());
    ChatResponse response;
    try {
      response = ConverseResponses.chat(root, model, answerId(result.headers()), now());
    } catch (IOException e) {
      throw new UnreadableResponseException(call.source(200, null, null), "unreadable answer: " + e.getMessage(), e);
    }
    if (response.finishReason() == FinishReason.CONTENT_FILTER && response.text().isEmpty()
        && response.toolCalls().isEmpty()) {
      String reason = Json.text(root, "stopReason");
      throw new ContentPolicyException(call.source(200, reason, null),
          "Bedrock withheld the answer (stopReason " + reason + ")");
    }
    return response;
  }

  @Override
  public ChunkSource streamChat(ChatRequest request, Call call) {
    byte[] body = body(request, call);
    HttpStream stream = http.stream(call, post(uri("converse-stream"), body, EVENT_STREAM));
    if (!stream.isSuccess()) {
      throw error(call, stream.status(), stream.headers(), stream.readAll(MAX_ERROR_BODY));
    }
    String type = stream.headers().firstValue("content-type").orElse("");
    if (type.startsWith("application/json")) {
      // Not an event stream: a proxy or an error with a success status. Report what it says.
      byte[] whole = stream.readAll(MAX_ERROR_BODY);
      throw new UnreadableResponseException(call.source(stream.status(), null, null),
          "expected an event stream, got JSON: " + auth.clean(OpenAiErrorReader.plainText(whole)));
    }
    return ChunkSource.over(stream, new StreamReader(call, stream, answerId(stream.headers()), now()));
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, Call call) {
    EmbeddingFamily family = embeddingFamily(model);
    if (family == null) {
      return Provider.super.embed(request, call);
    }
    List<float[]> vectors = new ArrayList<>(request.inputs().size());
    int tokens = 0;
    if (family == EmbeddingFamily.TITAN) {
      for (String input : request.inputs()) {
        byte[] body = Json.write(gen -> {
          gen.writeStartObject();
          gen.writeStringField("inputText", input);
          if (request.dimensions() != null) {
            gen.writeNumberField("dimensions", request.dimensions());
          }
          gen.writeEndObject();
        });
        HttpResult result = invoke(call, body);
        JsonNode root = call.json(result.body());
        vectors.add(vector(call, root.get("embedding")));
        tokens += Json.integer(root, "inputTextTokenCount");
      }
    } else {
      Object inputType = request.extra().getOrDefault("input_type", "search_document");
      List<String> inputs = request.inputs();
      for (int from = 0; from < inputs.size(); from += COHERE_BATCH) {
        List<String> batch = inputs.subList(from, Math.min(inputs.size(), from + COHERE_BATCH));
        byte[] body = Json.write(gen -> {
          gen.writeStartObject();
          gen.writeArrayFieldStart("texts");
          for (String text : batch) {
            gen.writeString(text);
          }
          gen.writeEndArray();
          gen.writeStringField("input_type", inputType.toString());
          gen.writeEndObject();
        });
        HttpResult result = invoke(call, body);
        JsonNode embeddings = call.json(result.body()).get("embeddings");
        if (embeddings != null && embeddings.isObject()) {
          embeddings = embeddings.get("float"); // Embed v4 and embedding_types answer by type
        }
        if (embeddings == null || !embeddings.isArray() || embeddings.size() != batch.size()) {
          throw new UnreadableResponseException(call.source(200, null, null),
              "the Cohere answer has no embeddings array with one vector per text");
        }
        for (JsonNode vector : embeddings) {
          vectors.add(vector(call, vector));
        }
        tokens += result.headers().firstValue("x-amzn-bedrock-input-token-count").map(BedrockProvider::integer)
            .orElse(0);
      }
    }
    return new EmbeddingResponse(model, vectors, Usage.of(tokens, 0), null);
  }

  private HttpResult invoke(Call call, byte[] body) {
    HttpResult result = http.send(call, post(uri("invoke"), body, "application/json"));
    if (!result.isSuccess()) {
      throw error(call, result.status(), result.headers(), result.body());
    }
    return result;
  }

  private static float[] vector(Call call, @Nullable JsonNode values) {
    if (values == null || !values.isArray() || values.isEmpty()) {
      throw new UnreadableResponseException(call.source(200, null, null), "the answer holds no embedding vector");
    }
    return call.read(() -> Json.floats(values));
  }

  private static int integer(String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private byte[] body(ChatRequest request, Call call) {
    try {
      return ConverseRequests.converse(request);
    } catch (ConverseRequests.UnsupportedException e) {
      throw new UnsupportedRequestException(call.source(), "Bedrock cannot take this request: " + e.getMessage());
    }
  }

  private HttpRequest post(URI uri, byte[] body, String accept) {
    HttpRequest.Builder request = HttpTransport.request(uri)
        .header("Content-Type", "application/json")
        .header("Accept", accept)
        .POST(HttpTransport.body(body));
    auth.authorize(request, uri, Map.of("Content-Type", "application/json"), body);
    return request.build();
  }

  private static String answerId(HttpHeaders headers) {
    return "bedrock-" + headers.firstValue("x-amzn-requestid").orElseGet(() -> UUID.randomUUID().toString());
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }


  /** An error answer: its type from {@code x-amzn-ErrorType} and/or the body's {@code __type}, its message. */
  private UpstreamException error(Call call, int status, HttpHeaders headers, byte[] body) {
    ErrorDetails details = errorDetails(headers, body);
    ErrorDetails cleaned = new ErrorDetails(auth.clean(details.message()), details.codes());
    return UpstreamErrors.classify(call, status, RetryAfter.parse(headers), cleaned, null);
  }

  static ErrorDetails errorDetails(HttpHeaders headers, byte[] body) {
    String headerType = errorType(headers.firstValue("x-amzn-errortype").orElse(null));
    String message;
    String bodyType = null;
    try {
      JsonNode root = Json.parse(body);
      message = Json.text(root, "message");
      if (message == null) {
        message = Json.text(root, "Message");
      }
      bodyType = errorType(Json.text(root, "__type"));
      if (bodyType == null) {
        bodyType = errorType(Json.text(root, "code"));
      }
    } catch (IOException e) {
      message = body.length == 0 ? null : OpenAiErrorReader.plainText(body);
    }
    return ErrorDetails.of(message, headerType, bodyType);
  }

  /**
   * An AWS error type without its decorations: {@code ThrottlingException:http://internal...} (the header
   * form) and {@code com.amazon.coral.validate#ValidationException} (the body's {@code __type}) both become
   * the bare name.
   */
  static @Nullable String errorType(@Nullable String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String type = raw.strip();
    int colon = type.indexOf(':');
    if (colon >= 0) {
      type = type.substring(0, colon);
    }
    int hash = type.lastIndexOf('#');
    if (hash >= 0) {
      type = type.substring(hash + 1);
    }
    return type.isBlank() ? null : type;
  }

  /**
   * The HTTP status Bedrock gives each exception when it is not in a stream, so an exception that arrives
   * inside one is classified as the same failure would be outside it.
   */
  static int statusOf(@Nullable String exceptionType) {
    if (exceptionType == null) {
      return 0;
    }
    return switch (exceptionType.toLowerCase(Locale.ROOT)) {
      case "validationexception" -> 400;
      case "accessdeniedexception" -> 403;
      case "resourcenotfoundexception" -> 404;
      case "modeltimeoutexception" -> 408;
      case "modelstreamerrorexception", "modelerrorexception" -> 424;
      case "throttlingexception", "modelnotreadyexception" -> 429;
      case "internalserverexception" -> 500;
      case "serviceunavailableexception" -> 503;
      default -> 0;
    };
  }

  /**
   * Turns Converse stream events into chunks: {@code messageStart} announces the role,
   * {@code contentBlockStart} opens a tool call, {@code contentBlockDelta} carries text or tool-input
   * fragments, {@code messageStop} the finish and {@code metadata} the usage. Exceptions are classified
   * like the HTTP errors they stand for; an end before {@code messageStop} is a broken stream.
   */
  private final class StreamReader implements ChunkSource.Reader {
    private final Call call;
    private final HttpStream stream;
    private final EventStreamReader frames;
    private final String id;
    private final long created;
    /** Converse's content-block index of each tool call, to OpenAI's index among the tool calls. */
    private final Map<Integer, Integer> toolIndex = new HashMap<>();
    private boolean roleSent;
    private boolean answered;
    private boolean stopped;
    private boolean complete;

    StreamReader(Call call, HttpStream stream, String id, long created) {
      this.call = call;
      this.stream = stream;
      this.frames = new EventStreamReader(stream.body());
      this.id = id;
      this.created = created;
    }

    @Override
    public @Nullable ChatChunk read() {
      while (true) {
        if (complete) {
          drain();
          return null;
        }
        EventStreamReader.Message message = nextMessage();
        if (message == null) {
          if (stopped) {
            log.debug("the stream from {} ended after messageStop without its metadata (usage)", call.deployment());
            return null;
          }
          throw call.connectionFailed("the stream ended before the answer was complete (no messageStop)", null);
        }
        String messageType = message.header(":message-type");
        if ("exception".equals(messageType)) {
          throw streamError(message.header(":exception-type"), message);
        }
        if ("error".equals(messageType)) {
          throw streamError(message.header(":error-code"), message);
        }
        if (messageType != null && !messageType.equals("event")) {
          continue;
        }
        ChatChunk chunk = event(message.header(":event-type"), payload(message));
        if (chunk != null) {
          return chunk;
        }
      }
    }

    private @Nullable ChatChunk event(@Nullable String type, JsonNode payload) {
      if (type == null) {
        return null;
      }
      switch (type) {
        case "messageStart" -> {
          if (roleSent) {
            return null;
          }
          roleSent = true;
          return chunk(Role.ASSISTANT, null, List.of(), null, null);
        }
        case "contentBlockStart" -> {
          JsonNode use = payload.path("start").path("toolUse");
          if (!use.isObject()) {
            return null;
          }
          int index = toolIndex.size();
          toolIndex.put(Json.integer(payload, "contentBlockIndex"), index);
          answered = true;
          return chunk(null, null,
              List.of(new ToolCallDelta(index, Json.text(use, "toolUseId"), Json.text(use, "name"), "")), null, null);
        }
        case "contentBlockDelta" -> {
          JsonNode delta = payload.path("delta");
          String text = Json.text(delta, "text");
          if (text != null) {
            if (text.isEmpty()) {
              return null;
            }
            answered = true;
            return chunk(null, text, List.of(), null, null);
          }
          JsonNode use = delta.get("toolUse");
          if (use != null && use.isObject()) {
            Integer index = toolIndex.get(Json.integer(payload, "contentBlockIndex"));
            if (index == null) {
              throw new UnreadableResponseException(call.source(),
                  "tool input arrived for a content block that never started");
            }
            String input = Json.text(use, "input");
            return input == null || input.isEmpty()
                ? null
                : chunk(null, null, List.of(new ToolCallDelta(index, null, null, input)), null, null);
          }
          return null; // reasoning and other block kinds are not part of the OpenAI-shaped answer
        }
        case "messageStop" -> {
          String stopReason = Json.text(payload, "stopReason");
          FinishReason finish = ConverseResponses.finishReason(stopReason);
          if (finish == FinishReason.STOP && !toolIndex.isEmpty()) {
            finish = FinishReason.TOOL_CALLS;
          }
          if (finish == FinishReason.CONTENT_FILTER && !answered) {
            throw new ContentPolicyException(call.source(200, stopReason, null),
                "Bedrock withheld the answer (stopReason " + stopReason + ")");
          }
          stopped = true;
          return chunk(null, null, List.of(), finish, null);
        }
        case "metadata" -> {
          if (!stopped) {
            return null; // usage is reported once the answer is complete
          }
          complete = true;
          stream.awaitingEnd(END_GRACE_NANOS);
          return chunk(null, null, List.of(), null, ConverseResponses.usage(payload.get("usage")));
        }
        default -> {
          return null;
        }
      }
    }

    private ChatChunk chunk(@Nullable Role role, @Nullable String content, List<ToolCallDelta> tools,
        @Nullable FinishReason finish, @Nullable Usage usage) {
      return new ChatChunk(id, created, model, 0, role, content, tools, finish, usage, null);
    }

    private EventStreamReader.@Nullable Message nextMessage() {
      try {
        return frames.next();
      } catch (EventStreamReader.FrameException e) {
        if (stopped) {
          return null; // the answer is complete; only the trailing metadata was lost
        }
        if (e.truncated()) {
          throw call.connectionFailed("the stream broke off: " + e.getMessage(), e);
        }
        throw new UnreadableResponseException(call.source(), "unreadable event stream: " + e.getMessage(), e);
      } catch (UncheckedIOException e) {
        throw call.connectionFailed("connection broken while streaming: " + e.getCause().getMessage(), e);
      } catch (UpstreamException e) {
        if (stopped) {
          return null;
        }
        throw e;
      }
    }

    private JsonNode payload(EventStreamReader.Message message) {
      if (message.payload().length == 0) {
        return Json.MAPPER.createObjectNode();
      }
      try {
        return Json.parse(message.payload());
      } catch (IOException e) {
        throw new UnreadableResponseException(call.source(), "an event's payload is not JSON: "
            + OpenAiErrorReader.plainText(message.payload()), e);
      }
    }

    private UpstreamException streamError(@Nullable String type, EventStreamReader.Message message) {
      String text = message.header(":error-message");
      if (text == null && message.payload().length > 0) {
        try {
          JsonNode root = Json.parse(message.payload());
          text = Json.text(root, "message");
          if (text == null) {
            text = Json.text(root, "Message");
          }
        } catch (IOException e) {
          text = OpenAiErrorReader.plainText(message.payload());
        }
      }
      ErrorDetails details = ErrorDetails.of(auth.clean(text), type);
      return UpstreamErrors.classify(call, statusOf(type), null, details, null);
    }

    /** Reads what is left after the usage, so the connection can be reused; failures no longer matter. */
    private void drain() {
      try {
        while (frames.next() != null) {
          // nothing comes after metadata in a well-formed stream
        }
      } catch (RuntimeException ignored) {
        // the answer is complete either way
      }
    }
  }
}
