package dev.baton.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.provider.Providers;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The built-in {@code models.yaml}: it parses (its reader refuses any figure without a named source), and
 * every entry says where each of its figures comes from and when it was read.
 */
class BuiltInCatalogueTest {

  private static final LocalDate COMPILED = LocalDate.of(2026, 12, 4);

  private final List<ModelInfo> models = Catalogue.builtIn().models();

  @Test
  void everyEntryHasASourceAndADateForEachOfItsFigures() {
    assertThat(models).as("the built-in catalogue's entries").hasSizeGreaterThan(30);
    for (ModelInfo m : models) {
      String entry = m.provider() + " " + m.model();
      boolean hasLimits = m.contextWindow() != null || m.maxInputTokens() != null || m.maxOutputTokens() != null
          || m.capabilities() != null;
      boolean hasPrices = m.inputPerMtok() != null || m.outputPerMtok() != null || m.cachedInputPerMtok() != null
          || m.cacheWritePerMtok() != null;
      assertThat(hasLimits || hasPrices).as("%s says something", entry).isTrue();
      if (hasLimits) {
        assertSourced(entry + " limits", m.limitsSource());
      }
      if (hasPrices) {
        assertSourced(entry + " prices", m.pricesSource());
      }
    }
  }

  private static void assertSourced(String what, Source source) {
    assertThat(source).as("%s need a source", what).isNotNull();
    assertThat(source.url()).as("%s' source is a provider's https page", what).startsWith("https://");
    assertThat(source.read()).as("%s' date", what).isNotNull().isBeforeOrEqualTo(COMPILED)
        .isAfter(LocalDate.of(2024, 1, 1));
  }

  @Test
  void everyFigureIsPlausible() {
    for (ModelInfo m : models) {
      String entry = m.provider() + " " + m.model();
      if (m.contextWindow() != null && m.maxOutputTokens() != null) {
        assertThat(m.maxOutputTokens()).as("%s answers within its window", entry).isLessThanOrEqualTo(m.contextWindow());
      }
      if (m.inputPerMtok() != null && m.cachedInputPerMtok() != null) {
        assertThat(m.cachedInputPerMtok()).as("%s: a cache read costs less than an input token", entry)
            .isLessThan(m.inputPerMtok());
      }
      if (m.inputPerMtok() != null) {
        assertThat(m.outputPerMtok()).as("%s has both prices", entry).isNotNull();
      }
      if (m.inputPerMtok() != null && m.cacheWritePerMtok() != null) {
        assertThat(m.cacheWritePerMtok()).as("%s: a cache write costs at least an input token", entry)
            .isGreaterThanOrEqualTo(m.inputPerMtok());
      }
      if (m.contextWindow() != null && m.maxInputTokens() != null) {
        assertThat(m.maxInputTokens()).as("%s: its prompt limit lies within its window", entry)
            .isLessThan(m.contextWindow());
      }
      if (m.can(Capability.EMBEDDINGS) && m.outputPerMtok() != null) {
        assertThat(m.outputPerMtok()).as("%s: an embedding model bills no output", entry).isZero();
      }
    }
  }

  @Test
  void everySourceIsAProvidersPageAndSaysHowItWasRead() {
    for (ModelInfo m : models) {
      for (Source source : java.util.Arrays.asList(m.limitsSource(), m.pricesSource())) {
        if (source != null) {
          assertThat(source.url()).as("%s %s: a source names no reseller or aggregator", m.provider(), m.model())
              .doesNotContain("openrouter.ai", "vercel.com", "litellm", "apiyi", "getmaxim");
          if (source.via() != null) {
            assertThat(source.via()).as("%s %s: a copy read instead of the page is dated", m.provider(), m.model())
                .containsPattern("20\\d\\d-\\d\\d-\\d\\d");
          }
        }
      }
    }
  }

  @Test
  void everyProviderIsOneBatonKnowsAndEveryIdIsUnique() {
    Set<String> seen = new HashSet<>();
    for (ModelInfo m : models) {
      assertThat(Providers.names()).as("provider of %s", m.model()).contains(m.provider());
      assertThat(seen.add(m.provider() + "/" + m.model().toLowerCase(java.util.Locale.ROOT)))
          .as("%s %s listed once", m.provider(), m.model()).isTrue();
      for (String alias : m.aliases()) {
        assertThat(seen.add(m.provider() + "/" + alias.toLowerCase(java.util.Locale.ROOT)))
            .as("alias %s of %s names nothing else", alias, m.model()).isTrue();
      }
    }
  }

  @Test
  void theContractsExampleLine() {
    ModelInfo gpt4o = Catalogue.builtIn().find("openai", "gpt-4o").orElseThrow();

    assertThat(gpt4o.contextWindow()).isEqualTo(128000);
    assertThat(gpt4o.maxOutputTokens()).isEqualTo(16384);
    assertThat(gpt4o.inputPerMtok()).isEqualTo(2.50);
    assertThat(gpt4o.outputPerMtok()).isEqualTo(10.00);
  }

  @Test
  void figuresReadFromTheProvidersOwnPages() {
    Catalogue c = Catalogue.builtIn();

    ModelInfo sonnet = c.find("anthropic", "claude-sonnet-5-5").orElseThrow();
    assertThat(List.of(sonnet.inputPerMtok(), sonnet.outputPerMtok(), sonnet.cachedInputPerMtok(),
        sonnet.cacheWritePerMtok())).as("Claude Sonnet 5.5's page").containsExactly(2.00, 10.00, 0.20, 2.50);
    ModelInfo sol = c.find("openai", "gpt-6.2-sol").orElseThrow();
    assertThat(sol.inputTokenLimit()).as("GPT-6.2 Sol takes 922,000 of its 1,050,000 tokens as prompt").isEqualTo(922000);
    assertThat(sol.cachedInputPerMtok()).isEqualTo(0.10);
    assertThat(c.find("gemini", "gemini-3.8-flash").orElseThrow().contextWindow()).isEqualTo(1048576);
    assertThat(c.find("mistral", "mistral-medium-latest").orElseThrow().model())
        .as("a Mistral alias finds its model").isEqualTo("mistral-medium-3-5");
    assertThat(c.find("deepseek", "deepseek-v4-flash").orElseThrow().model())
        .as("DeepSeek's retired flash id is served and billed as deepseek-flash").isEqualTo("deepseek-flash");
    assertThat(c.find("deepseek", "deepseek-flash").orElseThrow().inputPerMtok())
        .as("DeepSeek at its peak (full) rate").isEqualTo(0.30);
    assertThat(c.find("cohere", "command-a-03-2025").orElseThrow().contextWindow()).isEqualTo(256000);
  }

  @Test
  void noModelIsPricedAtZero() {
    for (ModelInfo m : models) {
      if (m.inputPerMtok() != null) {
        assertThat(m.inputPerMtok()).as("%s %s: an unknown price is left out, never written as 0", m.provider(),
            m.model()).isPositive();
      }
      if (m.outputPerMtok() != null && !m.can(Capability.EMBEDDINGS)) {
        assertThat(m.outputPerMtok()).as("%s %s output", m.provider(), m.model()).isPositive();
      }
    }
  }

  @Test
  void claudeFromFourSixOnRefusesPrefillAndEarlierClaudeTakesIt() {
    Catalogue c = Catalogue.builtIn();

    assertThat(c.find("anthropic", "claude-opus-4-6").orElseThrow().can(Capability.PREFILL)).isFalse();
    assertThat(c.find("anthropic", "claude-sonnet-4-6").orElseThrow().can(Capability.PREFILL)).isFalse();
    assertThat(c.find("anthropic", "claude-sonnet-4-5").orElseThrow().can(Capability.PREFILL)).isTrue();
    assertThat(c.find("bedrock", "anthropic.claude-haiku-4-5-20251001-v1:0").orElseThrow().can(Capability.PREFILL))
        .isTrue();
  }
}
