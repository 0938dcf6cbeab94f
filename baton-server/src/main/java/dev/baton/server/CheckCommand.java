package dev.baton.server;

import dev.baton.Baton;
import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigLoader;
import dev.baton.config.Durations;
import dev.baton.config.ModelConfig;
import dev.baton.config.RouterConfig;
import dev.baton.config.ServerConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code baton check --config FILE}: validates a configuration the way {@code serve} would — creating
 * every provider, so a missing key is found too — and prints what would be served. Exit 2 on a problem.
 */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Validate a configuration and print what would be served.")
final class CheckCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The YAML configuration.")
  Path config;

  @Override
  public Integer call() {
    BatonConfig loaded = ConfigLoader.load(config);
    try (Baton ignored = Baton.builder().config(loaded).build()) {
      print(System.out, config.getFileName().toString(), loaded);
    }
    return 0;
  }

  static void print(PrintStream out, String name, BatonConfig config) {
    ServerConfig s = config.server();
    out.printf("%s is valid. The gateway would listen on http://%s:%d (%s, bodies up to %s).%n", name, s.host(),
        s.port(), s.masterKey() == null ? "no master key: open to anyone who can reach it" : "master key required",
        bytes(s.maxBody()));
    out.println();
    out.println("Models:");
    int width = config.models().stream().mapToInt(m -> m.name().length()).max().orElse(4);
    for (ModelConfig m : config.models()) {
      out.printf("  %-" + width + "s  %s/%s%s%s%n", m.name(), m.provider(), m.model(),
          m.apiBase() == null ? "" : " at " + m.apiBase(), limits(m));
    }
    RouterConfig r = config.router();
    out.println();
    out.printf("Router: %d %s, %s per request, strategy %s; a circuit opens after %d failures in %s"
            + " for %s.%n", r.retries(), r.retries() == 1 ? "retry" : "retries", Durations.format(r.timeout()),
        r.strategy(), r.cooldown().failures(),
        Durations.format(r.cooldown().window()), Durations.format(r.cooldown().duration()));
    printFallbacks(out, "Fallbacks", r.fallbacks(), r.defaultFallbacks());
    printFallbacks(out, "Context-window fallbacks", r.contextWindowFallbacks(), List.of());
    printFallbacks(out, "Content-policy fallbacks", r.contentPolicyFallbacks(), List.of());
    printCache(out, config.cache());
  }

  private static void printCache(PrintStream out, dev.baton.config.@Nullable CacheConfig cache) {
    if (cache == null) {
      return;
    }
    out.println();
    out.printf("Cache: %s, entries served for %s%s, shared %s, for %s%s.%n", cache.type(),
        Durations.format(cache.ttl()),
        cache.type().equals(dev.baton.config.CacheConfig.LOCAL)
            ? ", at most " + cache.maxEntries() + " entries and " + bytes(cache.maxBytes()) : "",
        switch (cache.scope()) {
          case TEAM -> "within a team (a key without a team alone; the master key as one)";
          case KEY -> "by no two keys";
          case GLOBAL -> "by everyone";
        },
        cache.models() == null ? "every model" : String.join(", ", cache.models()),
        cache.semantic() == null ? "" : "; semantic matches by " + cache.semantic().embeddingModel() + " at cosine "
            + cache.semantic().threshold());
  }

  private static void printFallbacks(
      PrintStream out, String title, Map<String, List<String>> map, List<String> defaults) {
    if (map.isEmpty() && defaults.isEmpty()) {
      return;
    }
    out.println(title + ":");
    map.forEach((model, to) -> out.println("  " + model + " -> " + String.join(", ", to)));
    if (!defaults.isEmpty()) {
      out.println("  any other model -> " + String.join(", ", defaults));
    }
  }

  private static String limits(ModelConfig m) {
    StringBuilder text = new StringBuilder();
    append(text, "timeout", m.timeout());
    append(text, "first token", m.firstTokenTimeout());
    append(text, "idle", m.idleTimeout());
    if (m.retries() != null) {
      text.append(text.isEmpty() ? "" : ", ").append(m.retries()).append(" retries");
    }
    if (m.weight() != 1) {
      text.append(text.isEmpty() ? "" : ", ").append("weight ").append(m.weight());
    }
    if (m.rpm() != null) {
      text.append(text.isEmpty() ? "" : ", ").append(m.rpm()).append(" rpm");
    }
    if (m.tpm() != null) {
      text.append(text.isEmpty() ? "" : ", ").append(m.tpm()).append(" tpm");
    }
    return text.isEmpty() ? "" : " (" + text + ")";
  }

  private static void append(StringBuilder text, String label, @Nullable Duration d) {
    if (d != null) {
      text.append(text.isEmpty() ? "" : ", ").append(label).append(' ').append(Durations.format(d));
    }
  }

  private static String bytes(long n) {
    if (n % (1024 * 1024) == 0) {
      return n / (1024 * 1024) + "MB";
    }
    if (n % 1024 == 0) {
      return n / 1024 + "KB";
    }
    return n + " bytes";
  }
}
