package dev.baton.server.door.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.baton.Baton;
import dev.baton.BatonException;
import dev.baton.ChatChunk;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.ChatStream;
import dev.baton.UnsupportedRequestException;
import dev.baton.provider.Call;
import dev.baton.provider.ChunkSource;
import dev.baton.provider.Provider;
import dev.baton.provider.ResponsesApi;
import dev.baton.router.TokenEstimate;
import dev.baton.server.door.Answers;
import dev.baton.server.door.FrontDoor;
import dev.baton.server.door.OpenAiErrors;
import dev.baton.server.door.Route;
import dev.baton.cache.CacheKey;
import dev.baton.server.pipeline.Cache;
import dev.baton.server.pipeline.Endpoint;
import dev.baton.server.pipeline.ErrorShape;
import dev.baton.server.pipeline.Exchange;
import dev.baton.server.store.ResponseStore;
import dev.baton.wire.Json;
import dev.baton.wire.RawObject;
import io.helidon.http.Method;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /v1/responses}, OpenAI's Responses API, plain and streamed, and the stored responses
 * ({@code GET} and {@code DELETE /v1/responses/{response_id}}, {@link StoredResponses}).
 *
 * <p>Each attempt goes to its deployment in the way it takes: a deployment with {@code responses_api: native}
 * gets the body as it came (only {@code model} rewritten) and its answer or events go back as they came;
 * every other deployment gets the request translated into chat ({@link ChatTranslation}) and its answer is
 * written as a Response ({@link ResponseObjects}, {@link ResponseStream}). So any provider can answer, with
 * Baton's fallbacks, and a request using what only a native deployment can take is refused with a 400 naming
 * it when its model has none. The gateway keeps the responses itself ({@code store}, default true), whoever
 * answered, and {@code previous_response_id} continues one on any provider.
 */
public final class ResponsesDoor implements FrontDoor, Endpoint {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** As {@link TokenEstimate} counts: about four characters a token. */
  private static final int CHARACTERS_PER_TOKEN = 4;
  /** Bodies up to this size that may be passed through are sized without being translated. */
  private static final int SIZED_BY_BYTES = 64 * 1024;

  private final Baton baton;
  private final Conversations conversations;
  private final NativeDeployments natives;

  public ResponsesDoor(Baton baton, ResponseStore store) {
    this.baton = baton;
    this.conversations = new Conversations(store);
    this.natives = new NativeDeployments(baton.config());
  }

  @Override
  public List<Route> routes() {
    StoredResponses stored = new StoredResponses(conversations);
    return List.of(
        new Route(Method.POST, "/v1/responses", this),
        new Route(Method.GET, "/v1/responses/{response_id}", stored),
        new Route(Method.DELETE, "/v1/responses/{response_id}", stored));
  }

  @Override
  public ErrorShape errors() {
    return OpenAiErrors.SHAPE;
  }

  /**
   * A request as the door has read it.
   *
   * @param translation its translation into chat, made when a translating deployment is first tried
   * @param nativeBody the body for deployments that speak the Responses API, the stored conversation included
   * @param conversation every item the model is given, as a JSON array, to be stored; null when not stored
   * @param promptTokens the prompt's estimated size, for the router's limits and context check
   */
  record ResponsesCall(ResponsesRequest request, Translation translation, RawObject nativeBody,
      byte @Nullable [] conversation, long promptTokens) {}

  /**
   * The translation into chat, made once, when first needed: up front when the model can reach no native
   * deployment (so what it cannot carry is refused before any call), otherwise only if an attempt goes to a
   * translating deployment. A request passed through natively is never translated.
   */
  static final class Translation {
    private final ResponsesRequest request;
    private final List<JsonNode> history;
    private volatile ChatTranslation.@Nullable Translated translated;

    Translation(ResponsesRequest request, List<JsonNode> history) {
      this.request = request;
      this.history = history;
    }

    ChatTranslation.Translated get() {
      ChatTranslation.Translated t = translated;
      if (t == null) {
        synchronized (this) {
          t = translated;
          if (t == null) {
            t = ChatTranslation.translate(request, history);
            translated = t;
          }
        }
      }
      return t;
    }

    /** The translated request, for an attempt at {@code attempt}'s deployment, which translates. */
    ChatRequest chat(Call attempt) {
      ChatTranslation.Translated t = get();
      if (t.unsupported() != null) {
        throw new UnsupportedRequestException(attempt.source(), t.unsupported().getMessage());
      }
      return t.chat();
    }
  }

  @Override
  public void read(Exchange exchange) throws IOException {
    ResponsesRequest request = ResponsesRequestReader.read(exchange.body());
    List<JsonNode> history = request.previousResponseId() == null ? List.of()
        : conversations.history(request.previousResponseId(), exchange.caller());
    Translation translation = new Translation(request, history);
    boolean mayPassThrough = natives.reachable(request.model(), request.fallbacks());
    if (!mayPassThrough && translation.get().unsupported() != null) {
      throw translation.get().unsupported();
    }
    RawObject nativeBody = request.body();
    byte[] conversation = null;
    if (!history.isEmpty()) {
      ArrayNode items = NODES.arrayNode(history.size() + request.input().size());
      items.addAll(history);
      items.addAll(request.input());
      conversation = Json.MAPPER.writeValueAsBytes(items);
      Map<String, byte @Nullable []> changes = new LinkedHashMap<>();
      changes.put("input", conversation);
      changes.put("previous_response_id", null);
      nativeBody = nativeBody.with(changes);
    } else if (request.store()) {
      conversation = request.inputJson();
    }
    // A small body passed through is sized by its bytes, as the translation would size it, near enough; a
    // large one (images as data: URLs, a long conversation) by its translation, which counts an image as
    // the tokens it costs rather than the bytes it takes.
    long promptTokens = mayPassThrough && nativeBody.bytes().length < SIZED_BY_BYTES
        ? nativeBody.bytes().length / CHARACTERS_PER_TOKEN
        : TokenEstimate.of(translation.get().chat());
    exchange.request(request.model(), request.stream(),
        new ResponsesCall(request, translation, nativeBody, request.store() ? conversation : null, promptTokens));
  }

  @Override
  public void answer(Exchange exchange) throws IOException {
    ResponsesCall call = (ResponsesCall) exchange.request();
    if (exchange.stream()) {
      stream(exchange, call);
      return;
    }
    ChatResponse answer = baton.chatWith(call.request().model(), call.request().fallbacks(), call.promptTokens(),
        cacheKey(call), Cache.context(exchange), (provider, attempt) -> attempt(call, provider, attempt));
    byte[] json;
    String id;
    boolean nativeAnswer = answer.upstreamBody() != null;
    if (nativeAnswer && answer.cache() != null && answer.cache().hit()) {
      // A cached Response is a new response, stored under its own id: the first one's belongs to its caller.
      id = Ids.response();
      json = RawObject.of(answer.upstreamBody()).with(Map.of("id", Json.quote(id))).bytes();
    } else if (nativeAnswer) {
      json = answer.upstreamBody();
      id = answer.id();
    } else {
      id = Ids.response();
      json = write(ResponseObjects.finished(
          ResponseObjects.inProgress(id, answer.created() > 0 ? answer.created() : now(), answer.upstreamModel(),
              call.request()),
          ResponseObjects.output(answer), answer.usage(), answer.finishReason(), answer.upstreamModel()));
    }
    if (call.conversation() != null && !id.isEmpty()) {
      conversations.put(id, exchange.caller(), call.conversation(), json, nativeAnswer);
    }
    Answers.send(exchange, json, answer.model(), answer.attempts(), answer.usage());
  }

  /**
   * The request's cache key: its body as a native deployment gets it, with any stored conversation written
   * into its {@code input}, so continuing two different conversations never shares an entry.
   */
  private Supplier<CacheKey> cacheKey(ResponsesCall call) {
    String model = call.request().model();
    return () -> CacheKey.responses(call.nativeBody().bytes(), model);
  }

  /** One attempt at one deployment: passed through where it speaks the Responses API, translated elsewhere. */
  private static ChatResponse attempt(ResponsesCall call, Provider provider, Call attempt) {
    ResponsesApi api = provider.responsesApi();
    if (api != null) {
      return api.respond(call.nativeBody(), attempt);
    }
    ChatResponse answer = provider.chat(call.translation().chat(attempt), attempt);
    // Chat JSON is not a Response: only a native deployment's answer goes back as it came.
    return answer.upstreamBody() == null ? answer : new ChatResponse(answer.id(), answer.created(),
        answer.upstreamModel(), answer.choices(), answer.usage(), null);
  }

  private void stream(Exchange exchange, ResponsesCall call) {
    ChatStream stream = baton.streamWith(call.request().model(), call.request().fallbacks(), call.promptTokens(),
        cacheKey(call), Cache.context(exchange), (provider, attempt, continuation) -> {
      ResponsesApi api = provider.responsesApi();
      if (api != null && continuation == null) {
        return api.stream(call.nativeBody(), attempt);
      }
      // A continuation of a broken answer goes through chat on every deployment, as chat's streams do.
      ChatRequest chat = call.translation().chat(attempt);
      ChatRequest request = continuation == null ? chat : Baton.continuation(chat, continuation);
      // Chat JSON is not a Response event: only a native deployment's events go out as they came.
      return ChunkSource.withoutUpstreamBodies(provider.streamChat(request, attempt));
    });
    StringBuilder text = exchange.keepsContent() ? new StringBuilder() : null;
    try (stream; OutputStream out = Answers.startStream(exchange, stream)) {
      ResponseStream events = new ResponseStream(out, Ids.response(), now(), call.request());
      try {
        for (ChatChunk chunk : stream) {
          if (text != null) {
            text.append(chunk.text());
          }
          events.chunk(chunk);
        }
        exchange.answered(stream.model(), stream.attempts(), stream.usage());
        ResponseStream.Finished finished = events.end(stream.usage());
        store(exchange, call, finished);
      } catch (BatonException e) {
        exchange.failed(e);
        exchange.answered(stream.model(), stream.attempts(), stream.usage());
        events.fail(e);
      }
    } catch (IOException | RuntimeException e) {
      // The caller went away; closing the stream above has already closed the upstream connection.
      exchange.clientGone();
    }
    if (text != null) {
      exchange.answerContent(text.toString());
    }
  }

  private void store(Exchange exchange, ResponsesCall call, ResponseStream.Finished finished) {
    if (call.conversation() == null) {
      return;
    }
    String id = finished.id();
    if (id != null) {
      conversations.put(id, exchange.caller(), call.conversation(), finished.response(), finished.nativeAnswer());
    }
  }

  private static byte[] write(JsonNode node) {
    try {
      return Json.MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
