package dev.baton.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.Baton;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** A Baton whose OpenAI and Anthropic models are fake upstreams over real HTTP. */
final class Fakes {

  static final String PRIMARY = "openai/gpt-4o";
  static final String FALLBACK = "anthropic/claude-3-5-haiku-latest";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Fakes() {}

  /** The environment a {@code models("openai/...", "anthropic/...")} Baton reads, pointed at the fakes. */
  static Map<String, String> environment(FakeUpstream openai, FakeUpstream anthropic) {
    return Map.of("OPENAI_API_KEY", "sk-fake-openai", "OPENAI_BASE_URL", openai.url("/v1"),
        "ANTHROPIC_API_KEY", "sk-ant-fake", "ANTHROPIC_BASE_URL", anthropic.url());
  }

  /** OpenAI's gpt-4o falling back to Anthropic's Claude, the README's pair. */
  static Baton baton(FakeUpstream openai, FakeUpstream anthropic) {
    return Baton.builder().environment(environment(openai, anthropic)).models(PRIMARY, FALLBACK).build();
  }

  static JsonNode body(RecordedRequest request) {
    try {
      return JSON.readTree(request.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
