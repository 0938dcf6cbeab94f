package dev.baton.provider;

import dev.baton.provider.anthropic.AnthropicFactory;
import dev.baton.provider.azure.AzureFactory;
import dev.baton.provider.bedrock.BedrockFactory;
import dev.baton.provider.cohere.CohereFactory;
import dev.baton.provider.gemini.GeminiFactory;
import dev.baton.provider.mock.MockProvider;
import dev.baton.provider.ollama.OllamaFactory;
import dev.baton.provider.openai.OpenAiFactory;
import dev.baton.provider.vertex.VertexFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The providers Baton knows, by the name configuration uses. */
public final class Providers {

  private static final Map<String, ProviderFactory> BUILT_IN = index(builtIn());

  private Providers() {}

  private static List<ProviderFactory> builtIn() {
    List<ProviderFactory> factories = new ArrayList<>(OpenAiFactory.PRESETS);
    factories.add(new AzureFactory());
    factories.add(new AnthropicFactory());
    factories.add(new GeminiFactory());
    factories.add(new OllamaFactory());
    factories.add(new BedrockFactory());
    factories.add(new CohereFactory());
    factories.add(new VertexFactory());
    factories.add(MockProvider.factory());
    return factories;
  }

  private static Map<String, ProviderFactory> index(List<ProviderFactory> factories) {
    Map<String, ProviderFactory> byName = new LinkedHashMap<>();
    for (ProviderFactory factory : factories) {
      if (byName.put(factory.name(), factory) != null) {
        throw new IllegalStateException("two providers are named " + factory.name());
      }
    }
    return Map.copyOf(byName);
  }

  /** The factory for a provider name, or null if there is none. */
  public static @Nullable ProviderFactory get(String name) {
    return BUILT_IN.get(name);
  }

  /** Every provider name, sorted. */
  public static Set<String> names() {
    return new java.util.TreeSet<>(BUILT_IN.keySet());
  }
}
