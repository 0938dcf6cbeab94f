package dev.baton.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The metadata IDEs complete baton.* keys from: generated from BatonProperties, with the hints merged in. */
class ConfigurationMetadataTest {

  @Test
  void describesEveryTopLevelAndRouterKeyWithItsDocumentation() throws Exception {
    JsonNode metadata;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("the configuration processor's output is in the jar").isNotNull();
      metadata = new ObjectMapper().readTree(in);
    }

    assertThat(metadata.get("properties")).extracting(p -> p.get("name").asText()).contains(
        "baton.config", "baton.models", "baton.chat-model", "baton.embedding-model", "baton.router.retries",
        "baton.router.timeout", "baton.router.strategy", "baton.router.fallbacks", "baton.router.default-fallbacks",
        "baton.router.context-window-fallbacks", "baton.router.content-policy-fallbacks",
        "baton.router.cooldown.failures", "baton.router.cooldown.window", "baton.router.cooldown.duration");
    JsonNode models = find(metadata.get("properties"), "baton.models");
    assertThat(models.get("type").asText()).isEqualTo("java.util.List<dev.baton.spring.BatonProperties$Model>");
    assertThat(models.get("description").asText()).contains("deployments");
    assertThat(find(metadata.get("properties"), "baton.router.timeout").get("type").asText())
        .isEqualTo("java.time.Duration");
    assertThat(find(metadata.get("hints"), "baton.router.strategy").get("values"))
        .extracting(v -> v.get("value").asText()).containsExactly("weighted", "least-busy", "latency", "cost");
  }

  private static JsonNode find(JsonNode entries, String name) {
    for (JsonNode entry : entries) {
      if (entry.get("name").asText().equals(name)) {
        return entry;
      }
    }
    throw new AssertionError("no metadata for " + name);
  }
}
