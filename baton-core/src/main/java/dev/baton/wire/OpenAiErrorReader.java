package dev.baton.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.provider.ErrorDetails;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the error bodies of OpenAI and the servers that imitate it, in each shape they are known to
 * use: {@code {"error":{"message","type","code"}}} (code a string or an integer), Azure's added
 * {@code innererror}, vLLM's older top-level {@code {"object":"error","message"}}, Ollama's and LM
 * Studio's {@code {"error":"..."}} (Text Generation Inference's with an {@code error_type}), xAI's
 * {@code {"code":"<a sentence>","error":"..."}}, Mistral's {@code {"message"}} and {@code {"detail"}},
 * Cerebras's top-level {@code {"message","type","code"}}, NVIDIA's problem details
 * {@code {"status","title","detail"}}, Cloudflare's {@code {"errors":[{"code","message"}]}}; and any of
 * them wrapped in a one-element array (Vertex AI).
 */
public final class OpenAiErrorReader {

  private OpenAiErrorReader() {}

  public static ErrorDetails read(byte[] body) {
    JsonNode root;
    try {
      root = Json.parse(body);
    } catch (IOException e) {
      return new ErrorDetails(plainText(body), List.of());
    }
    return read(root);
  }

  public static ErrorDetails read(JsonNode body) {
    // Google's fronts (Vertex AI) wrap an error in a one-element array.
    JsonNode root = body.isArray() && !body.isEmpty() ? body.get(0) : body;
    JsonNode error = root.get("error");
    if (error != null && error.isObject()) {
      List<String> codes = new ArrayList<>(3);
      codes.add(Json.text(error.path("innererror"), "code"));
      codes.add(Json.scalar(error, "code"));
      codes.add(Json.text(error, "type"));
      codes.add(Json.text(error, "status"));
      return new ErrorDetails(Json.text(error, "message"), codes);
    }
    if (error != null && error.isTextual()) {
      // Text Generation Inference adds an error_type: validation, generation, overloaded, ...
      return new ErrorDetails(error.textValue(), java.util.Arrays.asList(Json.text(root, "error_type")));
    }
    JsonNode errors = root.get("errors");
    if (errors != null && errors.isArray() && !errors.isEmpty() && errors.get(0).isObject()) {
      // Cloudflare's API envelope and IBM watsonx: {"errors":[{"code","message"}], ...}
      JsonNode first = errors.get(0);
      return new ErrorDetails(Json.text(first, "message"), java.util.Arrays.asList(Json.scalar(first, "code")));
    }
    JsonNode detail = root.get("detail");
    if (detail != null && !detail.isNull()) {
      return new ErrorDetails(detail.isTextual() ? detail.textValue() : detail.toString(), List.of());
    }
    List<String> codes = new ArrayList<>(2);
    codes.add(Json.scalar(root, "code"));
    codes.add(Json.text(root, "type"));
    return new ErrorDetails(Json.text(root, "message"), codes);
  }

  /** An error body that is not JSON (an HTML page from a proxy, say), cut to something readable. */
  public static String plainText(byte[] body) {
    String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip();
    return text.replaceAll("\\s+", " ");
  }
}
