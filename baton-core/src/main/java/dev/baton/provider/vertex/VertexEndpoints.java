package dev.baton.provider.vertex;

import dev.baton.provider.Call;
import dev.baton.provider.anthropic.AnthropicProvider;
import dev.baton.provider.gemini.GeminiProvider;
import dev.baton.provider.openai.OpenAiProvider;
import java.net.URI;
import java.net.http.HttpRequest;
import org.jspecify.annotations.Nullable;

/**
 * Where each publisher's models live on Vertex AI, under
 * {@code {base}/v1/projects/{project}/locations/{location}}, and the one way every request is authorized:
 * {@code Authorization: Bearer} with an access token from {@link AccessTokens}.
 */
final class VertexEndpoints {

  private VertexEndpoints() {}

  private static void bearer(HttpRequest.Builder request, AccessTokens tokens, Call call) {
    request.header("Authorization", "Bearer " + tokens.token(call));
  }

  /** Gemini: {@code publishers/google/models/{model}:generateContent} and {@code :streamGenerateContent}. */
  record Gemini(URI root, String model, AccessTokens tokens) implements GeminiProvider.Endpoint {
    @Override
    public URI uri(String method) {
      return URI.create(root + "/publishers/google/models/" + model + ":" + method);
    }

    @Override
    public void authorize(HttpRequest.Builder request, Call call) {
      bearer(request, tokens, call);
    }

    @Override
    public @Nullable String secret() {
      return tokens.held();
    }
  }

  /** Google's embedding models: {@code publishers/google/models/{model}:predict}. */
  record Predict(URI root, String model, AccessTokens tokens) {
    URI uri() {
      return URI.create(root + "/publishers/google/models/" + model + ":predict");
    }

    void authorize(HttpRequest.Builder request, Call call) {
      bearer(request, tokens, call);
    }

    @Nullable String secret() {
      return tokens.held();
    }
  }

  /** Claude: {@code publishers/anthropic/models/{model}:rawPredict}, {@code :streamRawPredict} for streams. */
  record Claude(URI root, AccessTokens tokens) implements AnthropicProvider.Endpoint {
    @Override
    public URI uri(String model, boolean stream) {
      return URI.create(root + "/publishers/anthropic/models/" + model + (stream ? ":streamRawPredict" : ":rawPredict"));
    }

    @Override
    public String bodyVersion() {
      return VertexFactory.ANTHROPIC_VERSION;
    }

    @Override
    public void authorize(HttpRequest.Builder request, Call call) {
      bearer(request, tokens, call);
    }

    @Override
    public @Nullable String secret() {
      return tokens.held();
    }
  }

  /**
   * Chat in OpenAI's shape at a fixed address: Mistral AI's models (their own body, the model named in it)
   * at {@code publishers/mistralai/models/{model}:rawPredict} and {@code :streamRawPredict}; every other
   * publisher at Vertex AI's OpenAI-compatible {@code endpoints/openapi/chat/completions}.
   */
  record OpenAiShaped(URI whole, URI streamed, AccessTokens tokens) implements OpenAiProvider.Endpoint {

    static OpenAiShaped mistral(URI root, String model, AccessTokens tokens) {
      String base = root + "/publishers/mistralai/models/" + model;
      return new OpenAiShaped(URI.create(base + ":rawPredict"), URI.create(base + ":streamRawPredict"), tokens);
    }

    static OpenAiShaped openApi(URI root, AccessTokens tokens) {
      URI chat = URI.create(root + "/endpoints/openapi/chat/completions");
      return new OpenAiShaped(chat, chat, tokens);
    }

    @Override
    public URI uri(String operation) {
      return whole;
    }

    @Override
    public URI uri(String operation, boolean stream) {
      return stream ? streamed : whole;
    }

    @Override
    public void authorize(HttpRequest.Builder request) {
      throw new IllegalStateException("Vertex AI requests are authorized with their call");
    }

    @Override
    public void authorize(HttpRequest.Builder request, Call call) {
      bearer(request, tokens, call);
    }

    @Override
    public @Nullable String secret() {
      return tokens.held();
    }
  }
}
