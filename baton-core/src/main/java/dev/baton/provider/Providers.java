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
import java.util.ServiceLoader;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The providers Baton knows, by the name configuration uses: the built-in ones, and those other modules
 * on the classpath declare as {@code META-INF/services/dev.baton.provider.ProviderFactory} (such as
 * {@code dev.baton:baton-local}'s {@code onnx} and {@code gguf}).
 */
public final class Providers {

  /** Providers that live in another artifact, for the message when one is asked for without it. */
  private static final Map<String, String> ELSEWHERE = Map.of("onnx", "dev.baton:baton-local", "gguf",
      "dev.baton:baton-local");

  private static final Map<String, ProviderFactory> KNOWN = index(known());

  private Providers() {}

  private static List<ProviderFactory> known() {
    List<ProviderFactory> factories = new ArrayList<>(OpenAiFactory.PRESETS);
    factories.add(new AzureFactory());
    factories.add(new AnthropicFactory());
    factories.add(new GeminiFactory());
    factories.add(new OllamaFactory());
    factories.add(new BedrockFactory());
    factories.add(new CohereFactory());
    factories.add(new VertexFactory());
    factories.add(MockProvider.factory());
    ServiceLoader.load(ProviderFactory.class, Providers.class.getClassLoader()).forEach(factories::add);
    return factories;
  }

  private static Map<String, ProviderFactory> index(List<ProviderFactory> factories) {
    Map<String, ProviderFactory> byName = new LinkedHashMap<>();
    for (ProviderFactory factory : factories) {
      ProviderFactory before = byName.put(factory.name(), factory);
      if (before != null) {
        throw new IllegalStateException("two providers are named " + factory.name() + ": "
            + before.getClass().getName() + " and " + factory.getClass().getName());
      }
    }
    return Map.copyOf(byName);
  }

  /** The factory for a provider name, or null if there is none. */
  public static @Nullable ProviderFactory get(String name) {
    return KNOWN.get(name);
  }

  /** Every provider name, sorted. */
  public static Set<String> names() {
    return new java.util.TreeSet<>(KNOWN.keySet());
  }

  /**
   * Why a provider name is not known, for messages: the known names, or the artifact that brings it.
   *
   * @param in where the name was written, such as the model string, or null
   */
  public static String unknown(String name, @Nullable String in) {
    String where = in == null ? "" : " in '" + in + "'";
    String artifact = ELSEWHERE.get(name);
    if (artifact != null) {
      return "provider '" + name + "'" + where + " comes with " + artifact
          + ": add it to the classpath beside baton-core";
    }
    return "unknown provider '" + name + "'" + where + "; known providers: " + String.join(", ", names());
  }
}
