package dev.baton.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.ChatChunk;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.CompletionRequest;
import dev.baton.CompletionResponse;
import dev.baton.EmbeddingRequest;
import dev.baton.EmbeddingResponse;
import dev.baton.FinishReason;
import dev.baton.NotFoundException;
import dev.baton.UnsupportedRequestException;
import dev.baton.Role;
import dev.baton.ToolCall;
import dev.baton.ToolCallDelta;
import dev.baton.UpstreamException;
import dev.baton.Usage;
import dev.baton.config.Secret;
import dev.baton.provider.Call;
import dev.baton.provider.Capabilities;
import dev.baton.provider.ChunkSource;
import dev.baton.provider.Provider;
import dev.baton.provider.UpstreamErrors;
import dev.baton.transport.HttpResult;
import dev.baton.transport.HttpStream;
import dev.baton.transport.HttpTransport;
import dev.baton.transport.RetryAfter;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A deployment on an Ollama server, spoken to in its native API: {@code /api/chat} for chat,
 * {@code /api/generate} for text completions, {@code /api/embed} for embeddings. Answers come back as
 * NDJSON (one JSON object per line) and are translated into the OpenAI shape.
 *
 * <p>What Ollama does not say the OpenAI way, and how it is read:
 * <ul>
 *   <li>errors are {@code {"error":"..."}} without codes; a missing model ("model 'x' not found", with
 *       404 or, in some versions, 400) counts as {@link NotFoundException}, so the router falls back;
 *   <li>a prompt longer than the context window is cut by Ollama itself ({@code truncate} defaults to
 *       true), so chat rarely fails for it; when Ollama does refuse ("the input length exceeds the
 *       context length", mostly from {@code /api/embed}) with a 4xx, it is a context-window failure;
 *   <li>a trailing assistant message is continued rather than answered, for models whose template
 *       allows it (Ollama cuts the prompt after the last assistant text), so assistant prefill is on by
 *       default; set {@code assistant_prefill: false} for a model whose template does not.
 * </ul>
 */
public final class OllamaProvider implements Provider {

  private static final int MAX_ERROR_BODY = 64 * 1024;
  private static final int MAX_WHOLE_BODY = 16 * 1024 * 1024;

  private final URI base;
  private final String model;
  private final @Nullable Secret key;
  private final HttpTransport http;
  private final OllamaRequests.Settings settings;
  private final Capabilities capabilities;

  OllamaProvider(URI base, String model, @Nullable Secret key, HttpTransport http, OllamaRequests.Settings settings,
      Capabilities capabilities) {
    this.base = base;
    this.model = model;
    this.key = key;
    this.http = http;
    this.settings = settings;
    this.capabilities = capabilities;
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  @Override
  public ChatResponse chat(ChatRequest request, Call call) {
    byte[] body = write(call, () -> OllamaRequests.chat(request, model, false, settings));
    JsonNode root = send(call, "/api/chat", body);
    return call.read(() -> OllamaResponses.chat(root, model));
  }

  @Override
  public ChunkSource streamChat(ChatRequest request, Call call) {
    byte[] body = write(call, () -> OllamaRequests.chat(request, model, true, settings));
    return openStream(call, "/api/chat", body, OllamaStreamReader.Kind.CHAT);
  }

  /** One {@code /api/generate} call per prompt, in order; Ollama takes one prompt per request. */
  @Override
  public CompletionResponse complete(CompletionRequest request, Call call) {
    List<CompletionResponse.Choice> choices = new ArrayList<>(request.prompts().size());
    Usage usage = Usage.NONE;
    String upstreamModel = model;
    long created = 0;
    for (String prompt : request.prompts()) {
      byte[] body = write(call, () -> OllamaRequests.generate(request, prompt, model, false, settings));
      JsonNode root = send(call, "/api/generate", body);
      int index = choices.size();
      choices.add(call.read(() -> OllamaResponses.completionChoice(root, index)));
      usage = usage.plus(OllamaResponses.usage(root));
      upstreamModel = OllamaResponses.modelOf(root, model);
      created = created == 0 ? OllamaResponses.created(root) : created;
    }
    return new CompletionResponse(OllamaResponses.newId("cmpl-"), created, upstreamModel, choices, usage, null);
  }

  @Override
  public ChunkSource streamCompletion(CompletionRequest request, Call call) {
    if (request.prompts().size() > 1) {
      throw new UnsupportedRequestException(call.source(), "ollama streams one prompt per request; this request has "
          + request.prompts().size());
    }
    byte[] body = write(call, () -> OllamaRequests.generate(request, request.prompt(), model, true, settings));
    return openStream(call, "/api/generate", body, OllamaStreamReader.Kind.GENERATE);
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, Call call) {
    byte[] body = write(call, () -> OllamaRequests.embed(request, model, settings));
    JsonNode root = send(call, "/api/embed", body);
    return call.read(() -> OllamaResponses.embedding(root, request.inputs().size(), model));
  }

  /** Writes a request; content Ollama cannot take sends the router on to the next model. */
  private static byte[] write(Call call, Supplier<byte[]> writer) {
    try {
      return writer.get();
    } catch (OllamaRequests.Unsupported e) {
      throw new UnsupportedRequestException(call.source(), e.getMessage());
    }
  }

  private JsonNode send(Call call, String path, byte[] body) {
    HttpResult result = http.send(call, post(path, body, false));
    if (!result.isSuccess()) {
      throw error(call, result.status(), result.headers(), result.body());
    }
    JsonNode root = call.json(result.body());
    if (root.has("error")) {
      throw error(call, result.status(), result.headers(), result.body());
    }
    return root;
  }

  private HttpRequest post(String path, byte[] body, boolean stream) {
    HttpRequest.Builder request = HttpTransport.request(URI.create(base + path))
        .header("Content-Type", "application/json")
        .header("Accept", stream ? "application/x-ndjson" : "application/json")
        .POST(HttpTransport.body(body));
    if (key != null) {
      // Ollama itself has no keys; proxies in front of it (and ollama.com) take a bearer token.
      request.header("Authorization", "Bearer " + key.reveal());
    }
    return request.build();
  }

  private ChunkSource openStream(Call call, String path, byte[] body, OllamaStreamReader.Kind kind) {
    HttpStream stream = http.stream(call, post(path, body, true));
    if (!stream.isSuccess()) {
      throw error(call, stream.status(), stream.headers(), stream.readAll(MAX_ERROR_BODY));
    }
    String type = stream.headers().firstValue("content-type").orElse("");
    if (type.startsWith("application/json")) {
      // One JSON document instead of lines: a proxy that buffers, or an error reported with 200.
      byte[] whole = stream.readAll(MAX_WHOLE_BODY);
      JsonNode root = call.json(whole);
      if (root.has("error")) {
        throw UpstreamErrors.classify(call, 0, null, OllamaResponses.error(root), secret());
      }
      return kind == OllamaStreamReader.Kind.CHAT
          ? asStream(call.read(() -> OllamaResponses.chat(root, model)))
          : asStream(call, root);
    }
    return ChunkSource.over(stream, new OllamaStreamReader(call, stream, kind, model, secret()));
  }

  private static ChunkSource asStream(ChatResponse answer) {
    FinishReason reason = answer.finishReason() == null ? FinishReason.STOP : answer.finishReason();
    List<ToolCallDelta> deltas = new ArrayList<>();
    for (int i = 0; i < answer.toolCalls().size(); i++) {
      ToolCall c = answer.toolCalls().get(i);
      deltas.add(new ToolCallDelta(i, c.id(), c.name(), c.arguments()));
    }
    return of(List.of(
        new ChatChunk(answer.id(), answer.created(), answer.upstreamModel(), 0, Role.ASSISTANT,
            answer.text().isEmpty() ? null : answer.text(), deltas, reason, null, null),
        new ChatChunk(answer.id(), answer.created(), answer.upstreamModel(), 0, null, null, List.of(), null,
            answer.usage(), null)));
  }

  private ChunkSource asStream(Call call, JsonNode root) {
    CompletionResponse.Choice choice = call.read(() -> OllamaResponses.completionChoice(root, 0));
    String id = OllamaResponses.newId("cmpl-");
    long created = OllamaResponses.created(root);
    String upstreamModel = OllamaResponses.modelOf(root, model);
    return of(List.of(
        new ChatChunk(id, created, upstreamModel, 0, Role.ASSISTANT, choice.text().isEmpty() ? null : choice.text(),
            List.of(), choice.finishReason(), null, null),
        new ChatChunk(id, created, upstreamModel, 0, null, null, List.of(), null, OllamaResponses.usage(root),
            null)));
  }

  private static ChunkSource of(List<ChatChunk> chunks) {
    Iterator<ChatChunk> iterator = chunks.iterator();
    return new ChunkSource() {
      @Override
      public @Nullable ChatChunk next() {
        return iterator.hasNext() ? iterator.next() : null;
      }

      @Override
      public void close() {}
    };
  }




  private UpstreamException error(Call call, int status, HttpHeaders headers, byte[] body) {
    return UpstreamErrors.classify(call, status, RetryAfter.parse(headers), OllamaResponses.error(body), secret());
  }

  private @Nullable String secret() {
    return key == null ? null : key.reveal();
  }
}
