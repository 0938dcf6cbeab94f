package dev.baton.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.Usage;
import dev.baton.config.BatonConfig;
import dev.baton.config.Environment;
import dev.baton.server.Gateway;
import dev.baton.wire.Json;
import dev.baton.wire.OpenAiResponseReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Asks through the real gateway over HTTP, reading the answer the way an OpenAI client does: a stream
 * succeeds only if it ends with {@code data: [DONE]}, and an error event is a failure.
 */
final class GatewayFront implements Front {

  private final Gateway gateway;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  GatewayFront(BatonConfig config) {
    this.gateway = Gateway.start(config, Environment.of(Map.of()), List.of());
  }

  @Override
  public Answer ask(String model, String prompt, boolean stream, boolean includeUsage) {
    String body = new String(Json.write(gen -> writeBody(gen, model, prompt, stream, includeUsage)),
        StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/chat/completions"))
        .header("Content-Type", "application/json")
        .timeout(Duration.ofMinutes(3))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    long start = System.nanoTime();
    try {
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      String servedBy = response.headers().firstValue("x-baton-model").orElse(null);
      int attempts = response.headers().firstValue("x-baton-attempts").map(Integer::parseInt).orElse(0);
      if (response.statusCode() != 200 || !stream) {
        byte[] bytes;
        try (InputStream in = response.body()) {
          bytes = in.readAllBytes();
        }
        JsonNode root = Json.parse(bytes);
        if (response.statusCode() != 200) {
          return new Answer(response.statusCode(), "", null, null, null, attempts,
              root.path("error").path("message").asText(), false, false, since(start));
        }
        return new Answer(200, root.path("choices").path(0).path("message").path("content").asText(""), servedBy,
            root.path("model").asText(null), OpenAiResponseReader.usage(root.get("usage")), attempts, null, true,
            false, since(start));
      }
      return readStream(response, servedBy, attempts, start);
    } catch (IOException e) {
      return new Answer(0, "", null, null, null, 0, "transport: " + e, false, false, since(start));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void writeBody(com.fasterxml.jackson.core.JsonGenerator gen, String model, String prompt,
      boolean stream, boolean includeUsage) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("model", model);
    gen.writeArrayFieldStart("messages");
    gen.writeStartObject();
    gen.writeStringField("role", "user");
    gen.writeStringField("content", prompt);
    gen.writeEndObject();
    gen.writeEndArray();
    if (stream) {
      gen.writeBooleanField("stream", true);
      if (includeUsage) {
        gen.writeObjectFieldStart("stream_options");
        gen.writeBooleanField("include_usage", true);
        gen.writeEndObject();
      }
    }
    gen.writeEndObject();
  }

  private static Answer readStream(HttpResponse<InputStream> response, String servedBy, int attempts, long start)
      throws IOException {
    StringBuilder text = new StringBuilder();
    Usage usage = null;
    String upstreamModel = null;
    boolean done = false;
    String error = null;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        if (!line.startsWith("data: ")) {
          continue;
        }
        String data = line.substring(6);
        if (data.equals("[DONE]")) {
          done = true;
          continue;
        }
        JsonNode chunk = Json.parse(data.getBytes(StandardCharsets.UTF_8));
        if (chunk.has("error")) {
          error = chunk.path("error").path("message").asText();
          continue;
        }
        text.append(chunk.path("choices").path(0).path("delta").path("content").asText(""));
        if (chunk.hasNonNull("usage")) {
          usage = OpenAiResponseReader.usage(chunk.get("usage"));
        }
        if (chunk.hasNonNull("model")) {
          upstreamModel = chunk.get("model").asText();
        }
      }
    }
    return new Answer(200, text.toString(), servedBy, upstreamModel, usage, attempts, error, done && error == null,
        error != null, since(start));
  }

  /** The gateway's base URL, such as {@code http://127.0.0.1:41234}. */
  String url() {
    return gateway.url();
  }

  @Override
  public String metrics() {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Override
  public void close() {
    gateway.close();
    http.close();
  }
}
