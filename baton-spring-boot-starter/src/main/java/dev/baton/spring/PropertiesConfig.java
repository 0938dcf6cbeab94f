package dev.baton.spring;

import dev.baton.ConfigException;
import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigLoader;
import dev.baton.config.ConfigValidator;
import dev.baton.config.CooldownConfig;
import dev.baton.config.Environment;
import dev.baton.config.ModelConfig;
import dev.baton.config.RouterConfig;
import dev.baton.config.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * {@code baton.*} properties as a {@link BatonConfig}, checked as Baton checks its YAML file: every
 * problem at once, each named by its property ({@code baton.models[1].retries: must be >= 0, was -1}),
 * unknown keys included. With {@code baton.config}, the file it names is read instead.
 */
final class PropertiesConfig {

  private static final ConfigurationPropertyName BATON = ConfigurationPropertyName.of("baton");
  private static final Map<String, String> TOP_KEYS = keys("config", "models", "router", "chat-model", "embedding-model");
  private static final Map<String, String> MODEL_KEYS = keys("name", "provider", "model", "api-base", "api-key", "timeout",
      "first-token-timeout", "idle-timeout", "retries", "weight", "rpm", "tpm", "max-input-tokens",
      "input-cost-per-mtok", "output-cost-per-mtok", "assistant-prefill", "hedge-after", "options");
  private static final Map<String, String> ROUTER_KEYS = keys("retries", "timeout", "strategy", "fallbacks",
      "default-fallbacks", "context-window-fallbacks", "content-policy-fallbacks", "cooldown", "max-retry-after-wait");
  private static final Map<String, String> COOLDOWN_KEYS = keys("failures", "window", "duration");

  private PropertiesConfig() {}

  /** The environment Baton reads {@code ${VAR}}s and providers' keys from: Spring's, which holds the process's. */
  static Environment environment(org.springframework.core.env.Environment spring) {
    return spring::getProperty;
  }

  static BatonConfig read(BatonProperties properties, ConfigurableEnvironment spring, ResourceLoader resources) {
    List<String> problems = new ArrayList<>();
    Map<Integer, Map<String, String>> flatOptions = new LinkedHashMap<>();
    scanKeys(spring, problems, flatOptions);
    if (properties.getConfig() != null && !properties.getConfig().isBlank()) {
      if (!properties.getModels().isEmpty()) {
        problems.add("baton.config and baton.models are both set: configure the models in one place, the file"
            + " or the properties");
      }
      throwIfAny(problems);
      return file(properties.getConfig(), environment(spring), resources);
    }
    List<ModelConfig> models = new ArrayList<>();
    for (int i = 0; i < properties.getModels().size(); i++) {
      models.add(model(properties.getModels().get(i), i, flatOptions.getOrDefault(i, Map.of())));
    }
    BatonConfig config = new BatonConfig(ServerConfig.defaults(), models, router(properties));
    for (ConfigValidator.Problem p : ConfigValidator.problems(config)) {
      problems.add("baton." + p.path() + ": " + p.message());
    }
    throwIfAny(problems);
    return config;
  }

  private static void throwIfAny(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  private static BatonConfig file(String location, Environment environment, ResourceLoader resources) {
    if (!location.startsWith("classpath:")) {
      return ConfigLoader.load(Path.of(location), environment);
    }
    Resource resource = resources.getResource(location);
    if (!resource.exists()) {
      throw new ConfigException("baton.config: no such resource: " + location);
    }
    try (InputStream in = resource.getInputStream()) {
      return ConfigLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), location, environment);
    } catch (IOException e) {
      throw new ConfigException("baton.config: cannot read " + location + ": " + e.getMessage());
    }
  }

  private static ModelConfig model(BatonProperties.Model m, int i, Map<String, String> flatOptions) {
    String path = "baton.models[" + i + "]";
    ModelConfig.Builder b = ModelConfig.builder(orEmpty(m.getName()), orEmpty(m.getProvider()), orEmpty(m.getModel()))
        .origin(path + " '" + m.getName() + "'")
        .apiBase(m.getApiBase())
        .apiKey(m.getApiKey())
        .timeout(m.getTimeout())
        .firstTokenTimeout(m.getFirstTokenTimeout())
        .idleTimeout(m.getIdleTimeout())
        .retries(m.getRetries())
        .rpm(m.getRpm())
        .tpm(m.getTpm())
        .maxInputTokens(m.getMaxInputTokens())
        .inputCostPerMtok(m.getInputCostPerMtok())
        .outputCostPerMtok(m.getOutputCostPerMtok())
        .assistantPrefill(m.getAssistantPrefill())
        .hedgeAfter(m.getHedgeAfter());
    if (m.getWeight() != null) {
      b.weight(m.getWeight());
    }
    m.getOptions().forEach(b::option);
    flatOptions.forEach(b::option);
    return b.build();
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }

  private static RouterConfig router(BatonProperties properties) {
    BatonProperties.Router r = properties.getRouter();
    RouterConfig d = RouterConfig.defaults();
    Map<String, List<String>> fallbacks = new LinkedHashMap<>(r.getFallbacks());
    List<BatonProperties.Model> models = properties.getModels();
    for (int i = 0; i + 1 < models.size(); i++) {
      if (models.get(i).shorthand() && models.get(i + 1).shorthand()) {
        fallbacks.putIfAbsent(models.get(i).getName(), List.of(models.get(i + 1).getName()));
      }
    }
    BatonProperties.Cooldown c = r.getCooldown();
    CooldownConfig cd = CooldownConfig.DEFAULT;
    return new RouterConfig(
        r.getRetries() == null ? d.retries() : r.getRetries(),
        r.getTimeout() == null ? d.timeout() : r.getTimeout(),
        d.attemptTimeout(),
        d.idleTimeout(),
        r.getStrategy() == null ? d.strategy() : r.getStrategy(),
        fallbacks,
        r.getDefaultFallbacks(),
        r.getContextWindowFallbacks(),
        r.getContentPolicyFallbacks(),
        new CooldownConfig(c.getFailures() == null ? cd.failures() : c.getFailures(),
            c.getWindow() == null ? cd.window() : c.getWindow(),
            c.getDuration() == null ? cd.duration() : c.getDuration()),
        r.getMaxRetryAfterWait() == null ? d.maxRetryAfterWait() : r.getMaxRetryAfterWait());
  }

  /**
   * Reads every {@code baton.*} name the application's property sources hold: a key Baton does not know
   * is a problem, and a model's keys beyond the common ones are its provider's options (checked against
   * the provider by the validator), as in the YAML file.
   */
  private static void scanKeys(ConfigurableEnvironment spring, List<String> problems,
      Map<Integer, Map<String, String>> flatOptions) {
    Set<String> reported = new LinkedHashSet<>();
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(spring)) {
      if (!(source instanceof IterableConfigurationPropertySource iterable)) {
        continue;
      }
      iterable.stream().filter(BATON::isAncestorOf).forEach(name -> {
        String top = name.getElement(1, Form.UNIFORM);
        if (!TOP_KEYS.containsKey(top)) {
          unknown(reported, "baton." + name.getElement(1, Form.ORIGINAL), TOP_KEYS);
        } else if (top.equals("router") && name.getNumberOfElements() > 2) {
          String key = name.getElement(2, Form.UNIFORM);
          if (!ROUTER_KEYS.containsKey(key)) {
            unknown(reported, "baton.router." + name.getElement(2, Form.ORIGINAL), ROUTER_KEYS);
          } else if (key.equals("cooldown") && name.getNumberOfElements() > 3
              && !COOLDOWN_KEYS.containsKey(name.getElement(3, Form.UNIFORM))) {
            unknown(reported, "baton.router.cooldown." + name.getElement(3, Form.ORIGINAL), COOLDOWN_KEYS);
          }
        } else if (top.equals("models") && name.getNumberOfElements() == 4 && name.isNumericIndex(2)
            && !MODEL_KEYS.containsKey(name.getElement(3, Form.UNIFORM))) {
          int index = Integer.parseInt(name.getElement(2, Form.UNIFORM));
          String option = name.getElement(3, Form.ORIGINAL).replace('-', '_').toLowerCase(Locale.ROOT);
          Object value = iterable.getConfigurationProperty(name) == null ? null
              : iterable.getConfigurationProperty(name).getValue();
          flatOptions.computeIfAbsent(index, k -> new LinkedHashMap<>())
              .putIfAbsent(option, value == null ? "" : spring.resolvePlaceholders(value.toString()));
        }
      });
    }
    problems.addAll(reported);
  }

  private static void unknown(Set<String> reported, String key, Map<String, String> known) {
    reported.add(key + ": unknown key; known keys: " + String.join(", ", known.values()));
  }

  /** Keys by Spring's uniform form (lower case, no dashes or underscores), which any spelling reduces to. */
  private static Map<String, String> keys(String... dashed) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String key : dashed) {
      keys.put(key.replace("-", ""), key);
    }
    return keys;
  }
}
