package dev.baton.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import dev.baton.ConfigException;
import dev.baton.Usage;
import dev.baton.config.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a user's catalogue, merging it over the built-in one, and filling a deployment from it. */
class CatalogueTest {

  @TempDir
  Path dir;

  private Path write(String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }

  @Test
  void aUserFileOverridesOneFigureAndKeepsTheRest() throws IOException {
    Path mine = write("my-models.yaml", """
        models:
          openai:
            gpt-4o:
              input_cost_per_mtok: 2.00
        """);

    Catalogue merged = Catalogue.builtIn().overlaidWith(Catalogue.load(mine));
    ModelInfo gpt4o = merged.find("openai", "gpt-4o").orElseThrow();

    assertThat(gpt4o.inputPerMtok()).isEqualTo(2.00);
    assertThat(gpt4o.outputPerMtok()).as("the built-in figure the file does not touch").isEqualTo(10.00);
    assertThat(gpt4o.contextWindow()).isEqualTo(128000);
    assertThat(gpt4o.pricesSource().url()).as("the user's prices are attributed to the user's file")
        .endsWith("my-models.yaml");
    assertThat(gpt4o.limitsSource().url()).startsWith("https://developers.openai.com/");
  }

  @Test
  void aUserFileAddsModelsTheBuiltInOneDoesNotKnow() throws IOException {
    Path mine = write("extra.yaml", """
        sources:
          our-contract:
            url: https://wiki.example.com/llm-contract
            read: 2026-11-30
        models:
          vllm:
            Qwen/Qwen3-32B:
              aliases: [qwen3-32b]
              context_window: 32768
              input_cost_per_mtok: 0
              output_cost_per_mtok: 0
              capabilities: [tools]
              prices_source: our-contract
        """);

    Catalogue merged = Catalogue.builtIn().overlaidWith(Catalogue.load(mine));
    ModelInfo qwen = merged.find("vllm", "qwen3-32b").orElseThrow();

    assertThat(qwen.model()).isEqualTo("Qwen/Qwen3-32B");
    assertThat(qwen.contextWindow()).isEqualTo(32768);
    assertThat(qwen.pricesSource()).isEqualTo(new Source("https://wiki.example.com/llm-contract",
        LocalDate.of(2026, 11, 30)));
    assertThat(merged.models()).hasSize(Catalogue.builtIn().models().size() + 1);
  }

  @Test
  void everyMistakeInAUserFileIsNamedWithItsLine() throws IOException {
    Path bad = write("bad.yaml", """
        models:
          openai:
            gpt-4o:
              input_cost_per_mtok: cheap
              context_windw: 128000
              capabilities: [tools, telepathy]
              prices_source: nowhere
        """);

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> Catalogue.load(bad));

    assertThat(e.problems()).containsExactlyInAnyOrder(
        "bad.yaml:5: models.openai.gpt-4o.context_windw: unknown key 'context_windw'; known keys: aliases,"
            + " cache_write_cost_per_mtok, cached_input_cost_per_mtok, capabilities, context_window,"
            + " input_cost_per_mtok, limits_source, max_input_tokens, max_output_tokens, output_cost_per_mtok,"
            + " prices_source",
        "bad.yaml:4: models.openai.gpt-4o.input_cost_per_mtok: must be a number of 0 or more (USD per million"
            + " tokens), was 'cheap'",
        "bad.yaml:6: models.openai.gpt-4o.capabilities: unknown capability 'telepathy'; known: tools, vision,"
            + " json_schema, prefill, reasoning, embeddings",
        "bad.yaml:7: models.openai.gpt-4o.prices_source: no source named 'nowhere' in 'sources'");
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("nope.yaml");

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> Catalogue.load(missing));

    assertThat(e.getMessage()).contains(missing.toString()).contains("does not exist");
  }

  @Test
  void theBuiltInFormatRefusesAFigureWithoutASourceOrADate() {
    ConfigException noSource = catchThrowableOfType(ConfigException.class, () -> Catalogue.parse("""
        models:
          openai:
            gpt-4o:
              input_cost_per_mtok: 2.50
        """, "models.yaml", null));
    ConfigException noDate = catchThrowableOfType(ConfigException.class, () -> Catalogue.parse("""
        sources:
          page: {url: https://example.com/pricing}
        models: {}
        """, "models.yaml", null));

    assertThat(noSource.getMessage()).contains("models.openai.gpt-4o.prices_source: the entry's prices need a source");
    assertThat(noDate.getMessage()).contains("sources.page: needs the date the page was read");
  }

  @Test
  void bedrockInferenceProfilesFindTheirModel() {
    Catalogue c = Catalogue.builtIn();

    assertThat(c.find("bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")).isPresent();
    assertThat(c.find("bedrock", "global.anthropic.claude-sonnet-4-6")).isPresent();
    assertThat(c.find("openai", "us.gpt-4o")).as("only Bedrock has inference profiles").isEmpty();
  }

  @Test
  void aDeploymentTakesWhatItLeavesUnsetAndKeepsWhatItSets() {
    ModelConfig bare = ModelConfig.builder("smart", "openai", "gpt-4o").build();
    ModelConfig own = ModelConfig.builder("smart", "openai", "gpt-4o").maxInputTokens(50000).outputCostPerMtok(8.0)
        .build();

    Catalogue.Resolved filled = Catalogue.builtIn().resolve(bare);
    Catalogue.Resolved kept = Catalogue.builtIn().resolve(own);

    assertThat(filled.config().maxInputTokens()).isEqualTo(128000);
    assertThat(filled.config().inputCostPerMtok()).isEqualTo(2.50);
    assertThat(filled.config().outputCostPerMtok()).isEqualTo(10.00);
    assertThat(filled.config().assistantPrefill()).as("gpt-4o does not continue a prefilled answer").isFalse();
    assertThat(kept.config().maxInputTokens()).isEqualTo(50000);
    assertThat(kept.config().inputCostPerMtok()).isEqualTo(2.50);
    assertThat(kept.config().outputCostPerMtok()).isEqualTo(8.0);
  }

  @Test
  void anUnknownModelKeepsExactlyItsConfiguration() {
    ModelConfig config = ModelConfig.builder("local", "vllm", "my-finetune").build();

    Catalogue.Resolved r = Catalogue.builtIn().resolve(config);

    assertThat(r.config()).isEqualTo(config);
    assertThat(r.info()).isNull();
    assertThat(r.pricing()).isNull();
  }

  @Test
  void pricingBillsCacheReadsAndWritesAtTheirOwnRates() {
    Pricing sonnet = Catalogue.builtIn().resolve(ModelConfig.builder("s", "anthropic", "claude-sonnet-4-5").build())
        .pricing();

    // 10,000 prompt tokens: 6,000 read from the cache, 1,000 written to it; 500 output tokens.
    double cost = sonnet.cost(new Usage(10_000, 500, 6_000, 1_000));

    double expected = (3_000 * 3.00 + 6_000 * 0.30 + 1_000 * 3.75 + 500 * 15.00) / 1_000_000;
    assertThat(cost).isCloseTo(expected, within(1e-12));
  }

  @Test
  void aNegotiatedInputPriceAlsoBillsCachedTokens() {
    Pricing negotiated = Catalogue.builtIn().resolve(ModelConfig.builder("s", "openai", "gpt-4o")
        .inputCostPerMtok(2.0).build()).pricing();

    assertThat(negotiated.cachedInputPerMtok()).as("the list cache price is for the list input price").isNull();
    assertThat(negotiated.cost(new Usage(1_000_000, 0, 500_000, 0))).isCloseTo(2.0, within(1e-12));
  }

  @Test
  void anEmptyCatalogueChangesNothing() {
    ModelConfig config = ModelConfig.builder("smart", "openai", "gpt-4o").build();

    assertThat(Catalogue.empty().resolve(config).config()).isEqualTo(config);
  }
}
