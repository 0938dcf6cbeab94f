package dev.baton.config;

import dev.baton.provider.ProviderFactory;
import dev.baton.provider.Providers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The checks every configuration passes, whether it came from YAML or from {@code Baton.builder()}:
 * known providers and strategies, sane numbers, and fallbacks that name models which exist. Each problem
 * carries the key path at fault (such as {@code router.fallbacks.smart[1]}) so the YAML loader can add
 * its line.
 */
public final class ConfigValidator {

  /** One problem: the key path at fault and what is wrong with it. */
  public record Problem(String path, String message) {}

  private ConfigValidator() {}

  public static List<Problem> problems(BatonConfig config) {
    List<Problem> problems = new ArrayList<>();
    ServerConfig server = config.server();
    if (server.port() < 0 || server.port() > 65535) {
      problems.add(new Problem("server.port", "must be between 0 and 65535, was " + server.port()));
    }
    if (server.maxBody() <= 0) {
      problems.add(new Problem("server.max_body", "must be positive, was " + server.maxBody()));
    }
    positive(server.readTimeout(), "server.read_timeout", problems);
    if (server.shutdownGrace().isNegative()) {
      problems.add(new Problem("server.shutdown_grace", "must not be negative"));
    }
    if (config.models().isEmpty()) {
      problems.add(new Problem("models", "at least one model is needed"));
    }
    java.util.Map<String, String> hedges = new java.util.HashMap<>();
    for (int i = 0; i < config.models().size(); i++) {
      ModelConfig m = config.models().get(i);
      model(m, "models[" + i + "]", problems);
      if (m.hedgeAfter() != null) {
        String earlier = hedges.putIfAbsent(m.name(), m.hedgeAfter());
        if (earlier != null && !earlier.equals(m.hedgeAfter())) {
          problems.add(new Problem("models[" + i + "].hedge_after", "the group '" + m.name() + "' already hedges after "
              + earlier + "; every deployment of a group must agree, was " + m.hedgeAfter()));
        }
      }
    }
    router(config, problems);
    telemetry(config.telemetry(), problems);
    cache(config, problems);
    return problems;
  }

  private static void cache(BatonConfig config, List<Problem> problems) {
    CacheConfig cache = config.cache();
    if (cache == null) {
      return;
    }
    Set<String> names = Set.copyOf(config.modelNames());
    if (!dev.baton.cache.CacheStores.types().contains(cache.type())) {
      problems.add(new Problem("cache.type", "expected " + String.join(" or ", dev.baton.cache.CacheStores.types())
          + ", was '" + cache.type() + "'"));
    } else if (cache.type().equals(CacheConfig.REDIS) && (config.redis() == null || !config.redis().configured())) {
      problems.add(new Problem("cache.type", "a redis cache needs redis.url, the Redis every instance shares"
          + " (redis:\n  url: redis://host:6379)"));
    }
    positive(cache.ttl(), "cache.ttl", problems);
    if (cache.maxEntries() < 1) {
      problems.add(new Problem("cache.max_entries", "must be >= 1, was " + cache.maxEntries()));
    }
    if (cache.maxBytes() < 1024) {
      problems.add(new Problem("cache.max_bytes", "must be at least 1KB, was " + cache.maxBytes() + " bytes"));
    }
    List<String> models = cache.models();
    if (models != null) {
      for (int i = 0; i < models.size(); i++) {
        if (!names.contains(models.get(i))) {
          problems.add(new Problem("cache.models[" + i + "]", "'" + models.get(i) + "' is not a model defined in models"
              + known(names)));
        }
      }
    }
    CacheConfig.Semantic semantic = cache.semantic();
    if (semantic != null) {
      if (!(semantic.threshold() > 0 && semantic.threshold() <= 1)) {
        problems.add(new Problem("cache.semantic.threshold", "must be a cosine similarity above 0 and at most 1, was "
            + semantic.threshold()));
      }
      String embedder = semantic.embeddingModel();
      int slash = embedder.indexOf('/');
      boolean providerString = slash > 0 && Providers.get(embedder.substring(0, slash)) != null;
      if (!names.contains(embedder) && !providerString) {
        problems.add(new Problem("cache.semantic.embedding_model", "'" + embedder + "' is neither a model defined in"
            + " models" + known(names) + " nor a provider/model string such as onnx/all-minilm-l6-v2"));
      }
    }
  }

  private static void telemetry(@Nullable TelemetryConfig telemetry, List<Problem> problems) {
    if (telemetry == null) {
      return;
    }
    String endpoint = telemetry.otlpEndpoint();
    if (endpoint != null) {
      java.net.URI uri = null;
      try {
        uri = new java.net.URI(endpoint);
      } catch (java.net.URISyntaxException e) {
        // reported below
      }
      if (uri == null || uri.getHost() == null || uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        problems.add(new Problem("telemetry.otlp_endpoint",
            "must be the OTLP/HTTP collector's URL, such as http://127.0.0.1:4318, was '" + endpoint + "'"));
      }
    }
    String service = telemetry.serviceName();
    if (service != null && (service.isBlank() || service.chars().anyMatch(Character::isISOControl))) {
      problems.add(new Problem("telemetry.service_name", "must be a name without control characters, was '"
          + service + "'"));
    }
  }

  private static void model(ModelConfig m, String path, List<Problem> problems) {
    if (m.name().isBlank()) {
      problems.add(new Problem(path + ".name", "must not be empty"));
    } else if (m.name().chars().anyMatch(Character::isISOControl)) {
      // The name is sent back in the x-baton-model header, where a line break would end the header.
      problems.add(new Problem(path + ".name", "must not contain control characters such as a line break"));
    }
    if (m.model().isBlank()) {
      problems.add(new Problem(path + ".model", "must not be empty"));
    }
    ProviderFactory factory = Providers.get(m.provider());
    if (factory == null) {
      problems.add(new Problem(path + ".provider", Providers.unknown(m.provider(), null)));
    } else {
      for (String option : m.options().keySet()) {
        if (!factory.options().contains(option)) {
          problems.add(new Problem(path + "." + option, "unknown key for provider " + m.provider()
              + (factory.options().isEmpty() ? "" : "; its own keys are " + String.join(", ", factory.options()))));
        }
      }
    }
    positive(m.timeout(), path + ".timeout", problems);
    positive(m.firstTokenTimeout(), path + ".first_token_timeout", problems);
    positive(m.idleTimeout(), path + ".idle_timeout", problems);
    if (m.retries() != null && m.retries() < 0) {
      problems.add(new Problem(path + ".retries", "must be >= 0, was " + m.retries()));
    }
    if (m.weight() < 1) {
      problems.add(new Problem(path + ".weight", "must be >= 1, was " + m.weight()));
    }
    atLeastOne(m.rpm(), path + ".rpm", problems);
    atLeastOne(m.tpm(), path + ".tpm", problems);
    atLeastOne(m.maxInputTokens(), path + ".max_input_tokens", problems);
    notNegative(m.inputCostPerMtok(), path + ".input_cost_per_mtok", problems);
    notNegative(m.outputCostPerMtok(), path + ".output_cost_per_mtok", problems);
    if (m.hedgeAfter() != null) {
      try {
        HedgeAfter.parse(m.hedgeAfter());
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(path + ".hedge_after", e.getMessage()));
      }
    }
  }

  private static void router(BatonConfig config, List<Problem> problems) {
    RouterConfig r = config.router();
    Set<String> names = Set.copyOf(config.modelNames());
    if (r.retries() < 0) {
      problems.add(new Problem("router.retries", "must be >= 0, was " + r.retries()));
    }
    positive(r.timeout(), "router.timeout", problems);
    if (r.maxRetryAfterWait().isNegative()) {
      problems.add(new Problem("router.max_retry_after_wait", "must not be negative, was " + r.maxRetryAfterWait()));
    }
    if (!RouterConfig.STRATEGIES.contains(r.strategy())) {
      problems.add(new Problem("router.strategy", "unknown strategy '" + r.strategy() + "'; expected one of "
          + String.join(", ", RouterConfig.STRATEGIES)));
    }
    fallbackMap(r.fallbacks(), "router.fallbacks", names, problems);
    fallbackList(null, r.defaultFallbacks(), "router.default_fallbacks", names, problems);
    fallbackMap(r.contextWindowFallbacks(), "router.context_window_fallbacks", names, problems);
    fallbackMap(r.contentPolicyFallbacks(), "router.content_policy_fallbacks", names, problems);
    CooldownConfig c = r.cooldown();
    if (c.failures() < 1) {
      problems.add(new Problem("router.cooldown.failures", "must be >= 1, was " + c.failures()));
    }
    positive(c.window(), "router.cooldown.window", problems);
    positive(c.duration(), "router.cooldown.duration", problems);
  }

  private static void fallbackMap(Map<String, List<String>> map, String path, Set<String> names, List<Problem> problems) {
    map.forEach((model, fallbacks) -> {
      if (!names.contains(model)) {
        problems.add(new Problem(path + "." + model, "names the model '" + model + "', which is not defined in models"
            + known(names)));
      }
      fallbackList(model, fallbacks, path + "." + model, names, problems);
    });
  }

  private static void fallbackList(
      @Nullable String owner, List<String> fallbacks, String path, Set<String> names, List<Problem> problems) {
    for (int i = 0; i < fallbacks.size(); i++) {
      String fallback = fallbacks.get(i);
      String at = path + "[" + i + "]";
      if (!names.contains(fallback)) {
        problems.add(new Problem(at, "the fallback '" + fallback + "' is not a model defined in models" + known(names)));
      } else if (fallback.equals(owner)) {
        problems.add(new Problem(at, "'" + owner + "' cannot fall back to itself"));
      } else if (fallbacks.subList(0, i).contains(fallback)) {
        problems.add(new Problem(at, "'" + fallback + "' is listed twice"));
      }
    }
  }

  private static String known(Set<String> names) {
    return names.isEmpty() ? "" : " (defined: " + String.join(", ", new java.util.TreeSet<>(names)) + ")";
  }

  private static void positive(@Nullable Duration d, String path, List<Problem> problems) {
    if (d != null && (d.isZero() || d.isNegative())) {
      problems.add(new Problem(path, "must be longer than zero, was " + Durations.format(d)));
    }
  }

  private static void atLeastOne(@Nullable Integer n, String path, List<Problem> problems) {
    if (n != null && n < 1) {
      problems.add(new Problem(path, "must be >= 1, was " + n));
    }
  }

  private static void notNegative(@Nullable Double n, String path, List<Problem> problems) {
    if (n != null && (n < 0 || n.isNaN())) {
      problems.add(new Problem(path, "must be >= 0, was " + n));
    }
  }
}
