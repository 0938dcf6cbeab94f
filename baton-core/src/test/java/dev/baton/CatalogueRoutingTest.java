package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.baton.catalogue.Catalogue;
import dev.baton.catalogue.Pricing;
import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigLoader;
import dev.baton.config.Environment;
import dev.baton.config.ModelConfig;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalogue reaching the router: a deployment that sets no prices and no context window is priced
 * and size-checked from its catalogue entry, a user's {@code catalogue:} file wins over the built-in
 * figures, and the configuration wins over both.
 */
class CatalogueRoutingTest {

  @TempDir
  Path dir;

  /** gpt-4o on a fake OpenAI: the provider and model id the catalogue knows, no prices in the config. */
  private static ModelConfig.Builder gpt4o(String name, FakeUpstream upstream) {
    return ModelConfig.builder(name, "openai", "gpt-4o")
        .apiBase(upstream.url("/v1"))
        .apiKey("sk-test-catalogue-0123456789")
        .timeout(Duration.ofSeconds(5));
  }

  private static String answer(int prompt, int completion, int cached) {
    return """
        {"id":"chatcmpl-1","object":"chat.completion","created":1733300000,"model":"gpt-4o-2024-08-06",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d,
                  "prompt_tokens_details":{"cached_tokens":%d}}}""".formatted(prompt, completion, prompt + completion,
        cached);
  }

  @Test
  void aDeploymentWithoutPricesIsPricedFromTheCatalogue() {
    try (FakeUpstream upstream = FakeUpstream.start()) {
      upstream.always(Reply.json(200, answer(1_000_000, 100_000, 400_000)));
      try (Baton baton = Baton.builder().model(gpt4o("smart", upstream).build()).build()) {

        ChatResponse r = baton.chat("Hello");
        String deployment = r.attempts().get(r.attempts().size() - 1).deployment();
        Pricing pricing = baton.pricing(deployment).orElseThrow();

        assertThat(pricing.inputPerMtok()).isEqualTo(2.50);
        assertThat(pricing.outputPerMtok()).isEqualTo(10.00);
        // 600,000 uncached at $2.50, 400,000 cached at $1.25, 100,000 out at $10.00.
        assertThat(pricing.cost(r.usage())).isCloseTo(1.5 + 0.5 + 1.0, within(1e-9));
      }
    }
  }

  @Test
  void pricesInTheConfigurationWin() {
    try (FakeUpstream upstream = FakeUpstream.start()) {
      try (Baton baton = Baton.builder()
          .model(gpt4o("smart", upstream).inputCostPerMtok(1.0).outputCostPerMtok(4.0).build()).build()) {

        Pricing pricing = baton.pricing("smart").orElseThrow();

        assertThat(pricing.inputPerMtok()).isEqualTo(1.0);
        assertThat(pricing.outputPerMtok()).isEqualTo(4.0);
      }
    }
  }

  @Test
  void aModelTheCatalogueDoesNotKnowHasNoPrice() {
    try (FakeUpstream upstream = FakeUpstream.start();
        Baton baton = Baton.builder().model(Upstreams.openAi("local", upstream).build()).build()) {

      assertThat(baton.pricing("local")).isEmpty();
      assertThat(baton.pricing("no-such-deployment")).isEmpty();
    }
  }

  @Test
  void theCataloguesWindowEnablesThePreCallContextCheck() throws IOException {
    Path mine = Files.writeString(dir.resolve("tiny.yaml"), """
        models:
          openai:
            gpt-4o:
              context_window: 50
        """);
    try (FakeUpstream small = FakeUpstream.start(); FakeUpstream large = FakeUpstream.start()) {
      large.always(Reply.json(200, OpenAiFixtures.chatCompletion("large-model", "From the large one")));
      try (Baton baton = Baton.builder()
          .catalogue(mine)
          .model(gpt4o("small", small).build())
          .model(Upstreams.openAi("large", large).build())
          .contextWindowFallbacks("small", "large")
          .build()) {

        ChatResponse r = baton.chat(ChatRequest.builder().model("small").user("x".repeat(400)).build());

        assertThat(r.text()).isEqualTo("From the large one");
        assertThat(small.requests()).as("a prompt over the catalogue's window is not sent").isEmpty();
        assertThat(r.attempts().get(0).reason()).contains("exceeds the deployment's max_input_tokens of 50");
      }
    }
  }

  @Test
  void theConfigFilesCatalogueIsReadRelativeToIt() throws IOException {
    Files.writeString(dir.resolve("prices.yaml"), """
        models:
          openai:
            gpt-4o:
              input_cost_per_mtok: 1.75
        """);
    try (FakeUpstream upstream = FakeUpstream.start()) {
      Path config = Files.writeString(dir.resolve("baton.yaml"), """
          catalogue: prices.yaml
          models:
            - name: smart
              provider: openai
              model: gpt-4o
              api_base: %s
              api_key: sk-test-0123456789
          """.formatted(upstream.url("/v1")));

      BatonConfig loaded = ConfigLoader.load(config, Environment.of(Map.of()));
      try (Baton baton = Baton.builder().config(loaded).build()) {

        assertThat(baton.pricing("smart").orElseThrow().inputPerMtok()).isEqualTo(1.75);
        assertThat(baton.pricing("smart").orElseThrow().outputPerMtok()).isEqualTo(10.00);
      }
    }
  }

  @Test
  void aBadCatalogueFileIsAConfigErrorWithTheConfigsLine() throws IOException {
    Path config = Files.writeString(dir.resolve("baton.yaml"), """
        models:
          - name: smart
            provider: mock
            model: echo
        catalogue: missing.yaml
        """);

    ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
        () -> ConfigLoader.load(config, Environment.of(Map.of())));

    assertThat(e.problems()).singleElement().asString().startsWith("baton.yaml:5: catalogue: the catalogue file ")
        .contains("missing.yaml").endsWith("does not exist");
  }

  @Test
  void anEmptyCatalogueTurnsTheDefaultsOff() {
    try (FakeUpstream upstream = FakeUpstream.start();
        Baton baton = Baton.builder().catalogue(Catalogue.empty()).model(gpt4o("smart", upstream).build()).build()) {

      assertThat(baton.pricing("smart")).isEmpty();
    }
  }
}
