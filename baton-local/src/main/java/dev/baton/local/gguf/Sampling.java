package dev.baton.local.gguf;

import de.kherud.llama.InferenceParameters;
import dev.baton.BadRequestException;
import dev.baton.ChatRequest;
import dev.baton.CompletionRequest;
import dev.baton.ResponseFormat;
import dev.baton.UnsupportedRequestException;
import dev.baton.provider.Call;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How one answer is generated, from the OpenAI request fields: the token limit, sampling, stop sequences
 * and the answer's format (a JSON answer is held to its schema by a grammar llama.cpp derives from it).
 * Unset fields keep llama.cpp's defaults.
 */
record Sampling(
    @Nullable Integer maxTokens,
    @Nullable Double temperature,
    @Nullable Double topP,
    @Nullable Long seed,
    @Nullable Double presencePenalty,
    @Nullable Double frequencyPenalty,
    List<String> stop,
    @Nullable ResponseFormat format) {

  static Sampling of(ChatRequest r) {
    return new Sampling(r.outputLimit(), r.temperature(), r.topP(), r.seed(), r.presencePenalty(),
        r.frequencyPenalty(), r.stop(), r.responseFormat());
  }

  static Sampling of(CompletionRequest r) {
    return new Sampling(r.maxTokens(), r.temperature(), r.topP(), r.seed(), null, null, r.stop(), null);
  }

  /** The most tokens the answer may have: its {@code max_tokens}, and no more than {@code room} left in the context. */
  int budget(int room, Call call) {
    if (maxTokens != null && maxTokens < 1) {
      throw new BadRequestException(call.source(400, "invalid_value", null),
          "max_tokens must be at least 1, was " + maxTokens);
    }
    return maxTokens == null ? room : Math.min(maxTokens, room);
  }

  /**
   * llama.cpp's completion request for {@code prompt}; a request it cannot honour fails here, before it runs.
   *
   * @param budget the most tokens to generate, from {@link #budget}
   */
  InferenceParameters parameters(String prompt, int budget, Call call) {
    InferenceParameters p = new InferenceParameters(prompt)
        .setNPredict(budget)
        .setCachePrompt(true);
    if (temperature != null) {
      p.setTemperature(temperature.floatValue());
    }
    if (topP != null) {
      p.setTopP(topP.floatValue());
    }
    if (seed != null) {
      p.setSeed((int) seed.longValue());
    }
    if (presencePenalty != null) {
      p.setPresencePenalty(presencePenalty.floatValue());
    }
    if (frequencyPenalty != null) {
      p.setFrequencyPenalty(frequencyPenalty.floatValue());
    }
    if (!stop.isEmpty()) {
      p.setStopStrings(stop.toArray(String[]::new));
    }
    String schema = schema();
    if (schema != null && !LlamaRequestFields.put(p, "json_schema", schema)) {
      throw new UnsupportedRequestException(call.source(),
          "this llama.cpp binding takes no JSON schema, so a JSON answer cannot be enforced here");
    }
    return p;
  }

  /** The JSON schema the answer must follow, or null for free text. */
  private @Nullable String schema() {
    if (format == null) {
      return null;
    }
    return switch (format.type()) {
      case "json_object" -> "{\"type\":\"object\"}";
      case "json_schema" -> format.schema() == null ? "{\"type\":\"object\"}" : format.schema();
      default -> null;
    };
  }
}
