package dev.baton.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import dev.baton.Usage;
import dev.baton.config.BatonConfig;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;

/**
 * Asks through the real gateway with the official OpenAI Java SDK as a strict client: every answer and
 * every stream chunk is validated against the SDK's model, an error event raises, and a stream counts as
 * complete only if it ended without one after a {@code finish_reason} — the SDK itself stops at
 * {@code [DONE]} and does not say whether it saw one.
 */
final class OpenAiJavaFront implements Front {

  private final GatewayFront gateway;
  private final OpenAIClient client;

  OpenAiJavaFront(BatonConfig config) {
    this.gateway = new GatewayFront(config);
    this.client = OpenAIOkHttpClient.builder()
        .baseUrl(gateway.url() + "/v1")
        .apiKey("not-needed")
        .maxRetries(0)
        .responseValidation(true)
        .timeout(Duration.ofMinutes(3))
        .build();
  }

  @Override
  public Answer ask(String model, String prompt, boolean stream, boolean includeUsage) {
    ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model(model).addUserMessage(prompt);
    if (stream && includeUsage) {
      params.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
    }
    long start = System.nanoTime();
    try {
      if (!stream) {
        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(params.build());
        ChatCompletion completion = raw.parse().validate();
        return new Answer(200, completion.choices().get(0).message().content().orElse(""), servedBy(raw.headers()),
            completion.model(), completion.usage().map(OpenAiJavaFront::usage).orElse(null), attempts(raw.headers()),
            null, true, false, since(start));
      }
      return readStream(client.chat().completions().withRawResponse().createStreaming(params.build()), start);
    } catch (OpenAIServiceException e) {
      return new Answer(e.statusCode(), "", null, null, null, attempts(e.headers()), message(e), false, false,
          since(start));
    } catch (RuntimeException e) {
      return new Answer(0, "", null, null, null, 0, "client: " + e, false, false, since(start));
    }
  }

  private static Answer readStream(HttpResponseFor<StreamResponse<ChatCompletionChunk>> raw, long start) {
    StringBuilder text = new StringBuilder();
    Usage usage = null;
    String upstreamModel = null;
    boolean finished = false;
    String servedBy = servedBy(raw.headers());
    int attempts = attempts(raw.headers());
    try (StreamResponse<ChatCompletionChunk> chunks = raw.parse()) {
      Iterator<ChatCompletionChunk> it = chunks.stream().iterator();
      while (it.hasNext()) {
        ChatCompletionChunk chunk = it.next().validate();
        for (ChatCompletionChunk.Choice choice : chunk.choices()) {
          choice.delta().content().ifPresent(text::append);
          finished |= choice.finishReason().isPresent();
        }
        if (chunk.usage().isPresent()) {
          usage = usage(chunk.usage().get());
        }
        upstreamModel = chunk.model();
      }
    } catch (OpenAIServiceException e) {
      return new Answer(200, text.toString(), servedBy, upstreamModel, usage, attempts, message(e), false, true,
          since(start));
    } catch (RuntimeException e) {
      return new Answer(200, text.toString(), servedBy, upstreamModel, usage, attempts, "client: " + e, false, true,
          since(start));
    }
    return new Answer(200, text.toString(), servedBy, upstreamModel, usage, attempts,
        finished ? null : "the stream ended without a finish_reason", finished, false, since(start));
  }

  /** The {@code error.message} of an error answer or event. */
  private static String message(OpenAIServiceException e) {
    try {
      JsonNode body = e.body().convert(JsonNode.class);
      JsonNode error = body != null && body.has("error") ? body.get("error") : body;
      return error == null ? String.valueOf(e.getMessage()) : error.path("message").asText(e.getMessage());
    } catch (RuntimeException unreadable) {
      return String.valueOf(e.getMessage());
    }
  }

  private static Usage usage(CompletionUsage u) {
    return Usage.of((int) u.promptTokens(), (int) u.completionTokens());
  }

  private static String servedBy(Headers headers) {
    List<String> values = headers.values("x-baton-model");
    return values.isEmpty() ? null : values.get(0);
  }

  private static int attempts(Headers headers) {
    List<String> values = headers.values("x-baton-attempts");
    return values.isEmpty() ? 0 : Integer.parseInt(values.get(0));
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Override
  public String metrics() {
    return gateway.metrics();
  }

  @Override
  public void close() {
    client.close();
    gateway.close();
  }
}
