package dev.baton.catalogue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the catalogue knows of one model of one provider. Every figure may be unknown (null): a user's
 * file may give only a price, and it is merged over the built-in entry field by field.
 *
 * @param provider the provider's name in configuration, such as {@code openai}
 * @param model the provider's own model id, such as {@code gpt-4o}
 * @param aliases other ids the provider takes for the same model and price, such as {@code claude-sonnet-4-5}
 * @param contextWindow the tokens of prompt and answer together
 * @param maxInputTokens the prompt's own limit, where the provider gives one apart from the window
 * @param maxOutputTokens the longest answer
 * @param inputPerMtok USD per million input tokens
 * @param outputPerMtok USD per million output tokens
 * @param cachedInputPerMtok USD per million input tokens read from the prompt cache
 * @param cacheWritePerMtok USD per million input tokens written to the prompt cache
 * @param capabilities what it can do, or null when the entry does not say
 * @param limitsSource where the window, limits and capabilities were read
 * @param pricesSource where the prices were read
 */
public record ModelInfo(
    String provider,
    String model,
    List<String> aliases,
    @Nullable Integer contextWindow,
    @Nullable Integer maxInputTokens,
    @Nullable Integer maxOutputTokens,
    @Nullable Double inputPerMtok,
    @Nullable Double outputPerMtok,
    @Nullable Double cachedInputPerMtok,
    @Nullable Double cacheWritePerMtok,
    @Nullable Set<Capability> capabilities,
    @Nullable Source limitsSource,
    @Nullable Source pricesSource) {

  public ModelInfo {
    aliases = List.copyOf(aliases);
    capabilities = capabilities == null ? null : Set.copyOf(capabilities.isEmpty()
        ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(capabilities));
  }

  /** The most prompt tokens it takes: its own input limit, else the whole window. */
  public @Nullable Integer inputTokenLimit() {
    return maxInputTokens != null ? maxInputTokens : contextWindow;
  }

  /** Whether the entry says the model can do {@code capability}; false when it does not say. */
  public boolean can(Capability capability) {
    return capabilities != null && capabilities.contains(capability);
  }

  /** This entry with every figure {@code over} gives replacing its own; aliases are joined. */
  ModelInfo mergedWith(ModelInfo over) {
    Set<String> joined = new LinkedHashSet<>(aliases);
    joined.addAll(over.aliases);
    return new ModelInfo(provider, model, new ArrayList<>(joined),
        either(over.contextWindow, contextWindow),
        either(over.maxInputTokens, maxInputTokens),
        either(over.maxOutputTokens, maxOutputTokens),
        either(over.inputPerMtok, inputPerMtok),
        either(over.outputPerMtok, outputPerMtok),
        either(over.cachedInputPerMtok, cachedInputPerMtok),
        either(over.cacheWritePerMtok, cacheWritePerMtok),
        either(over.capabilities, capabilities),
        either(over.limitsSource, limitsSource),
        either(over.pricesSource, pricesSource));
  }

  private static <T> @Nullable T either(@Nullable T preferred, @Nullable T otherwise) {
    return preferred != null ? preferred : otherwise;
  }
}
