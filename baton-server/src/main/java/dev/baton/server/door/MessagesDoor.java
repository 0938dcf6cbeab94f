package dev.baton.server.door;

import dev.baton.Baton;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.TokenCount;
import dev.baton.router.TokenEstimate;
import dev.baton.cache.CacheContext;
import dev.baton.provider.MessagesBody;
import dev.baton.server.pipeline.Cache;
import dev.baton.server.pipeline.Endpoint;
import dev.baton.server.pipeline.ErrorShape;
import dev.baton.server.pipeline.Exchange;
import dev.baton.wire.Json;
import dev.baton.wire.WireRequest;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import java.io.IOException;
import java.util.List;

/**
 * {@code POST /v1/messages} and {@code POST /v1/messages/count_tokens}, Anthropic's Messages API, plain and
 * streamed, with Anthropic's error shape for every refusal on the way ({@link AnthropicErrors}).
 *
 * <p>The request is read into both the caller's bytes and the router's chat request ({@link MessagesReader}):
 * an Anthropic deployment gets the bytes with only {@code model} rewritten and answers in its own bytes,
 * which go back as they came; any other deployment gets the request translated, and its answer is written
 * as a message ({@link MessagesWriter}) or as Anthropic's events ({@link AnthropicStream}). Both can happen in
 * one request: a passthrough that fails falls back to a translated model, and a passed-through stream
 * that breaks is continued by one.
 *
 * <p>{@code count_tokens} asks the model that would answer: an Anthropic deployment counts, any other
 * gives Baton's estimate ({@link TokenCount}), the one its context-window check uses.
 */
public final class MessagesDoor implements FrontDoor, Endpoint {

  /** Sent upstream to Anthropic deployments in place of Baton's own; accepted, never required. */
  public static final HeaderName VERSION = HeaderNames.create("anthropic-version");
  /** Sent upstream to Anthropic deployments as it is: the beta features the caller's body may use. */
  public static final HeaderName BETA = HeaderNames.create("anthropic-beta");

  private final Baton baton;
  private final Endpoint countTokens = new CountTokens();

  public MessagesDoor(Baton baton) {
    this.baton = baton;
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(Method.POST, "/v1/messages", this),
        new Route(Method.POST, "/v1/messages/count_tokens", countTokens));
  }

  @Override
  public ErrorShape errors() {
    return AnthropicErrors.SHAPE;
  }

  @Override
  public void read(Exchange exchange) throws IOException {
    read(exchange, false);
  }

  /** Reads a Messages body, or a {@code count_tokens} one, with the caller's Anthropic headers. */
  private static void read(Exchange exchange, boolean countTokens) throws IOException {
    WireRequest<ChatRequest> wire = MessagesReader.read(exchange.body(), countTokens,
        exchange.http().header(VERSION), exchange.http().header(BETA));
    exchange.request(wire.request().model(), wire.stream(), wire.request());
  }

  @Override
  public void answer(Exchange exchange) {
    ChatRequest request = (ChatRequest) exchange.request();
    CacheContext cache = Cache.context(exchange);
    if (exchange.stream()) {
      AnthropicStream.write(exchange, baton.stream(request, cache), TokenEstimate.of(request));
      return;
    }
    ChatResponse answer = baton.chat(request, cache);
    byte[] json = MessagesBody.answeredNatively(answer) ? answer.upstreamBody() : MessagesWriter.message(answer,
        TokenEstimate.of(request));
    Answers.send(exchange, json, answer.model(), answer.attempts(), answer.usage());
  }

  /** {@code /v1/messages/count_tokens}: {@code {"input_tokens": N}}. */
  private final class CountTokens implements Endpoint {

    @Override
    public ErrorShape errors() {
      return AnthropicErrors.SHAPE;
    }

    @Override
    public void read(Exchange exchange) throws IOException {
      MessagesDoor.read(exchange, true);
    }

    @Override
    public void answer(Exchange exchange) {
      TokenCount count = baton.countTokens((ChatRequest) exchange.request());
      byte[] json = count.upstreamBody() != null ? count.upstreamBody() : Json.write(gen -> {
        gen.writeStartObject();
        gen.writeNumberField("input_tokens", count.inputTokens());
        gen.writeEndObject();
      });
      Answers.send(exchange, json, count.model(), count.attempts(), null);
    }
  }
}
