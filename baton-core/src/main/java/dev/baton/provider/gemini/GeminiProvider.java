package dev.baton.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.EmbeddingRequest;
import dev.baton.EmbeddingResponse;
import dev.baton.UnreadableResponseException;
import dev.baton.UnsupportedRequestException;
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
import dev.baton.wire.Json;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A deployment on Google's Gemini API (the Generative Language API, {@code v1beta}). Chat goes to
 * {@code models/{model}:generateContent}, streams to {@code :streamGenerateContent?alt=sse}, embeddings
 * to {@code :batchEmbedContents}; the key travels in the {@code x-goog-api-key} header, never in the URL,
 * so it cannot leak through a logged address. Vertex AI serves the same {@code generateContent} API under
 * its own {@link Endpoint}: another path, and an OAuth access token instead of a key.
 */
public final class GeminiProvider implements Provider {

  /** Where a model's methods live and how a request is authorized: the Gemini API's, or Vertex AI's. */
  public interface Endpoint {
    /** The URI of a method such as {@code generateContent} or {@code streamGenerateContent?alt=sse}. */
    URI uri(String method);

    /** Adds the credentials; may fetch them within the attempt's time limits. */
    void authorize(HttpRequest.Builder request, Call call);

    /** The credential an upstream message might echo, so it can be cleaned; null when there is none. */
    @Nullable String secret();
  }

  /** The Gemini API's layout: {@code {base}/models/{model}:{method}}, the key in {@code x-goog-api-key}. */
  private record KeyEndpoint(URI base, Secret key, String resource) implements Endpoint {
    @Override
    public URI uri(String method) {
      return URI.create(base + "/" + resource + ":" + method);
    }

    @Override
    public void authorize(HttpRequest.Builder request, Call call) {
      request.header("x-goog-api-key", key.reveal());
    }

    @Override
    public String secret() {
      return key.reveal();
    }
  }

  /** Gemini's endpoint, with the API version. */
  public static final String DEFAULT_BASE = "https://generativelanguage.googleapis.com/v1beta";

  private static final int MAX_ERROR_BODY = 64 * 1024;
  private static final int MAX_WHOLE_STREAM = 16 * 1024 * 1024;
  private static final int MAX_EMBED_BATCH = 100;
  /** Calls whose thought signature is remembered; a few KB each at most. */
  private static final int SIGNATURES = 2048;

  private final Endpoint endpoint;
  private final String model;
  private final String resource;
  private final HttpTransport http;
  private final Capabilities capabilities;
  private final ThoughtSignatures signatures = new ThoughtSignatures(SIGNATURES);

  /**
   * @param base the API root including its version, such as {@link #DEFAULT_BASE}
   * @param model the model id, such as {@code gemini-2.5-flash}, {@code models/gemini-2.5-flash} or
   *     {@code tunedModels/my-model}
   */
  public GeminiProvider(URI base, Secret key, String model, HttpTransport http, Capabilities capabilities) {
    this.resource = model.contains("/") ? model : "models/" + model;
    this.endpoint = new KeyEndpoint(base, key, resource);
    this.model = resource.substring(resource.indexOf('/') + 1);
    this.http = http;
    this.capabilities = capabilities;
  }

  /**
   * A deployment whose methods are served at {@code endpoint}, such as a Gemini model on Vertex AI.
   *
   * @param model the model id, such as {@code gemini-2.5-flash}
   */
  public GeminiProvider(Endpoint endpoint, String model, HttpTransport http, Capabilities capabilities) {
    this.endpoint = endpoint;
    this.resource = "models/" + model;
    this.model = model;
    this.http = http;
    this.capabilities = capabilities;
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  @Override
  public ChatResponse chat(ChatRequest request, Call call) {
    JsonNode root = send(call, "generateContent", body(request, call));
    return GeminiResponses.chat(root, call, model, signatures);
  }

  @Override
  public ChunkSource streamChat(ChatRequest request, Call call) {
    byte[] body = body(request, call);
    HttpStream stream = http.stream(call, post(call, "streamGenerateContent?alt=sse", body));
    try {
      if (!stream.isSuccess()) {
        throw error(call, stream.status(), stream.headers(), stream.readAll(MAX_ERROR_BODY));
      }
      boolean severalCandidates = request.n() != null && request.n() > 1;
      String type = stream.headers().firstValue("content-type").orElse("");
      if (type.startsWith("application/json")) {
        // Without alt=sse (a proxy that drops the query, say) Gemini answers one JSON array of frames.
        JsonNode whole = call.json(stream.readAll(MAX_WHOLE_STREAM));
        return ChunkSource.over(stream, new GeminiStream(call, GeminiStream.whole(whole), null, model, signatures,
            endpoint.secret()));
      }
      GeminiStream.Frames frames = GeminiStream.sse(call, stream, endpoint.secret());
      return ChunkSource.over(stream, new GeminiStream(call, frames, severalCandidates ? null : stream, model,
          signatures, endpoint.secret()));
    } catch (RuntimeException e) {
      stream.close();
      throw e;
    }
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, Call call) {
    List<String> inputs = request.inputs();
    List<float[]> vectors = new ArrayList<>(inputs.size());
    // Gemini takes at most 100 requests per batch; a longer input list goes in several, in order.
    for (int from = 0; from < inputs.size(); from += MAX_EMBED_BATCH) {
      List<String> batch = inputs.subList(from, Math.min(inputs.size(), from + MAX_EMBED_BATCH));
      byte[] body = GeminiRequests.embeddings(batch, request.dimensions(), resource);
      JsonNode root = send(call, "batchEmbedContents", body);
      vectors.addAll(vectors(call, root, batch.size()));
    }
    return new EmbeddingResponse(model, vectors, Usage.NONE, null);
  }

  private static List<float[]> vectors(Call call, JsonNode root, int expected) {
    JsonNode embeddings = root.path("embeddings");
    if (!embeddings.isArray() || embeddings.size() != expected) {
      throw new UnreadableResponseException(call.source(200, null, null), "the answer holds "
          + embeddings.size() + " embeddings for " + expected + " inputs");
    }
    List<float[]> vectors = new ArrayList<>(expected);
    for (JsonNode embedding : embeddings) {
      vectors.add(call.read(() -> Json.floats(embedding.get("values"))));
    }
    return vectors;
  }

  private JsonNode send(Call call, String method, byte[] body) {
    HttpResult result = http.send(call, post(call, method, body));
    if (!result.isSuccess()) {
      throw error(call, result.status(), result.headers(), result.body());
    }
    JsonNode root = call.json(result.body());
    if (root.has("error") && !root.has("candidates") && !root.has("embeddings")) {
      throw error(call, 0, result.headers(), result.body());
    }
    return root;
  }

  private HttpRequest post(Call call, String method, byte[] body) {
    HttpRequest.Builder request = HttpTransport.request(endpoint.uri(method))
        .header("Content-Type", "application/json")
        .POST(HttpTransport.body(body));
    endpoint.authorize(request, call);
    return request.build();
  }


  /** Classifies an error answer; a {@code Retry-After} header wins over the body's {@code RetryInfo}. */
  private UpstreamException error(Call call, int status, HttpHeaders headers, byte[] body) {
    GeminiErrors.GeminiError error = GeminiErrors.read(body);
    Duration retryAfter = RetryAfter.parse(headers);
    if (retryAfter == null) {
      retryAfter = error.retryDelay();
    }
    int effective = status != 0 ? status : error.code();
    return UpstreamErrors.classify(call, effective, retryAfter, error.details(), endpoint.secret());
  }

  private byte[] body(ChatRequest request, Call call) {
    try {
      return GeminiRequests.chat(request, signatures);
    } catch (GeminiRequests.Unsupported e) {
      throw new UnsupportedRequestException(call.source(), e.getMessage());
    }
  }
}
