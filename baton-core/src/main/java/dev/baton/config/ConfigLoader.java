package dev.baton.config;

import dev.baton.ConfigException;
import dev.baton.catalogue.Catalogue;
import dev.baton.provider.ProviderFactory;
import dev.baton.provider.Providers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads Baton's YAML configuration (contract section 2). {@code ${VAR}} and {@code ${VAR:-default}} are
 * replaced from the environment in every value; durations are written {@code 250ms}, {@code 30s},
 * {@code 5m}; sizes {@code 512KB}, {@code 10MB}, {@code 1GB} (powers of 1024). Every problem — an
 * unknown key, a wrong type, a missing field, a fallback naming an unknown model — is reported at once,
 * each with its line: {@code baton.yaml:12: models[1].retries: must be >= 0, was -1}.
 */
public final class ConfigLoader {

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|KiB|MB|MiB|GB|GiB)?", Pattern.CASE_INSENSITIVE);

  private static final Set<String> TOP_KEYS =
      set("server", "models", "router", "database", "logging", "catalogue", "telemetry", "redis", "cache");
  private static final Set<String> SERVER_KEYS = set("host", "port", "master_key", "max_body", "read_timeout",
      "shutdown_grace");
  private static final Set<String> MODEL_KEYS = set("name", "provider", "model", "api_base", "api_key", "timeout",
      "first_token_timeout", "idle_timeout", "retries", "weight", "rpm", "tpm", "max_input_tokens",
      "input_cost_per_mtok", "output_cost_per_mtok", "assistant_prefill", "hedge_after");
  private static final Set<String> ROUTER_KEYS = set("retries", "timeout", "strategy", "fallbacks",
      "default_fallbacks", "context_window_fallbacks", "content_policy_fallbacks", "cooldown", "max_retry_after_wait");
  private static final Set<String> COOLDOWN_KEYS = set("failures", "window", "duration");
  private static final Set<String> DATABASE_KEYS = set("url", "user", "password", "data_dir");
  private static final Set<String> LOGGING_KEYS = set("store_content");
  private static final List<String> DATABASE_SCHEMES = List.of("jdbc:postgresql://", "postgres://", "postgresql://",
      "jdbc:sqlite:");
  private static final Set<String> TELEMETRY_KEYS = set("otlp_endpoint", "service_name");
  private static final Set<String> REDIS_KEYS = set("url");
  private static final Set<String> CACHE_KEYS = set("type", "ttl", "max_entries", "max_bytes", "scope", "models",
      "semantic");
  private static final Set<String> SEMANTIC_KEYS = set("embedding_model", "threshold");

  private ConfigLoader() {}

  /** Reads a file, taking {@code ${VAR}} values from the process environment. */
  public static BatonConfig load(Path file) {
    return load(file, Environment.system());
  }

  public static BatonConfig load(Path file, Environment environment) {
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("cannot read the configuration file " + file + ": " + describe(e));
    }
    Path folder = file.toAbsolutePath().getParent();
    return parse(yaml, file.getFileName() == null ? file.toString() : file.getFileName().toString(), folder,
        environment);
  }

  /**
   * Reads configuration text; relative paths in it are taken from the working directory.
   *
   * @param name the file's name, used in messages
   */
  public static BatonConfig parse(String yaml, String name, Environment environment) {
    return parse(yaml, name, null, environment);
  }

  /**
   * Reads configuration text.
   *
   * @param name the file's name, used in messages
   * @param folder the folder relative paths in it (model files, {@code database.data_dir}) are resolved
   *     against: the configuration file's own; null: the working directory
   */
  public static BatonConfig parse(String yaml, String name, @Nullable Path folder, Environment environment) {
    Reader reader = new Reader(name, folder, environment);
    BatonConfig config = reader.read(yaml);
    if (reader.problems.isEmpty()) {
      for (ConfigValidator.Problem p : ConfigValidator.problems(config)) {
        reader.problems.add(reader.where(p.path()) + p.path() + ": " + p.message());
      }
    }
    if (!reader.problems.isEmpty()) {
      throw new ConfigException(reader.problems);
    }
    return config;
  }

  private static String describe(IOException e) {
    return e instanceof java.nio.file.NoSuchFileException ? "no such file" : String.valueOf(e.getMessage());
  }

  private static Set<String> set(String... keys) {
    return new LinkedHashSet<>(List.of(keys));
  }

  /** One reading: the problems found and the line of every key path. */
  private static final class Reader {
    private final String name;
    private final @Nullable Path folder;
    private final Environment environment;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Integer> lines = new HashMap<>();

    Reader(String name, @Nullable Path folder, Environment environment) {
      this.name = name;
      this.folder = folder;
      this.environment = environment;
    }

    /** The folder relative paths are taken from: the configuration file's, else the working directory. */
    private Path base() {
      return folder == null ? Path.of("") : folder;
    }

    BatonConfig read(String yaml) {
      Optional<Node> composed;
      try {
        composed = new Compose(LoadSettings.builder().setLabel(name).build()).composeString(yaml);
      } catch (MarkedYamlEngineException e) {
        int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
        List<String> lines = yaml.lines().toList();
        // Variables are replaced after parsing, and YAML's [ ] and { } do not allow an unquoted "{".
        String hint = line > 0 && line <= lines.size() && lines.get(line - 1).contains("${")
            ? " (inside [ ] or { }, write a ${VAR} value in quotes: \"${VAR}\")"
            : "";
        problems.add(name + ":" + line + ": not valid YAML: " + e.getProblem() + hint);
        return empty();
      } catch (YamlEngineException e) {
        problems.add(name + ": not valid YAML: " + e.getMessage());
        return empty();
      }
      if (composed.isEmpty() || isNull(composed.get())) {
        problems.add(name + ": the file is empty; it needs at least a 'models' list");
        return empty();
      }
      Map<String, Node> top = mapping(composed.get(), "", TOP_KEYS);
      if (top == null) {
        return empty();
      }
      ServerConfig server = server(top.get("server"));
      List<ModelConfig> models = models(top.get("models"));
      RouterConfig router = router(top.get("router"));
      DatabaseConfig database = database(top.get("database"));
      LoggingConfig logging = logging(top.get("logging"));
      return new BatonConfig(server, models, router, database, logging, catalogue(top.get("catalogue")),
          telemetry(top.get("telemetry"), top.containsKey("telemetry")), redis(top.get("redis")),
          cache(top.get("cache")));
    }

    private @Nullable RedisConfig redis(@Nullable Node node) {
      Map<String, Node> m = node == null || isNull(node) ? null : mapping(node, "redis", REDIS_KEYS);
      if (m == null) {
        return null;
      }
      String url = string(m.get("url"), "redis.url");
      return new RedisConfig(url == null || url.isBlank() ? null : Secret.of(url.strip()));
    }

    /** The {@code cache:} section; absent or empty, there is no cache. */
    private @Nullable CacheConfig cache(@Nullable Node node) {
      Map<String, Node> m = node == null || isNull(node) ? null : mapping(node, "cache", CACHE_KEYS);
      if (m == null) {
        return null;
      }
      CacheConfig.Builder b = CacheConfig.builder();
      String type = string(m.get("type"), "cache.type");
      if (type != null) {
        b.type(type.strip());
      }
      Duration ttl = duration(m.get("ttl"), "cache.ttl");
      if (ttl != null) {
        b.ttl(ttl);
      }
      Integer maxEntries = integer(m.get("max_entries"), "cache.max_entries");
      if (maxEntries != null) {
        b.maxEntries(maxEntries);
      }
      Long maxBytes = size(m.get("max_bytes"), "cache.max_bytes");
      if (maxBytes != null) {
        b.maxBytes(maxBytes);
      }
      String scope = string(m.get("scope"), "cache.scope");
      if (scope != null) {
        CacheConfig.Scope named = CacheConfig.Scope.named(scope.strip());
        if (named == null) {
          problems.add(where("cache.scope") + "cache.scope: expected team, key or global, was '" + scope + "'");
        } else {
          b.scope(named);
        }
      }
      List<String> models = names(m.get("models"), "cache.models");
      if (models != null) {
        b.models(models.toArray(String[]::new));
      }
      Node semanticNode = m.get("semantic");
      if (semanticNode != null && !isNull(semanticNode)) {
        Map<String, Node> semantic = mapping(semanticNode, "cache.semantic", SEMANTIC_KEYS);
        if (semantic != null) {
          String embeddingModel = required(semantic, "embedding_model", "cache.semantic");
          Double threshold = number(semantic.get("threshold"), "cache.semantic.threshold");
          if (threshold == null && !semantic.containsKey("threshold")) {
            problems.add(where("cache.semantic") + "cache.semantic: 'threshold' is required (a cosine similarity"
                + " such as 0.95)");
          }
          if (embeddingModel != null && threshold != null) {
            b.semantic(embeddingModel.strip(), threshold);
          }
        }
      }
      return b.build();
    }

    /** The built-in catalogue, with the file {@code catalogue:} names (relative to this file) merged over it. */
    private Catalogue catalogue(@Nullable Node node) {
      String file = string(node, "catalogue");
      if (file == null || file.isBlank()) {
        return Catalogue.builtIn();
      }
      Path path = Path.of(file.strip());
      if (!path.isAbsolute() && folder != null) {
        path = folder.resolve(path);
      }
      try {
        return Catalogue.builtIn().overlaidWith(Catalogue.load(path));
      } catch (ConfigException e) {
        for (String problem : e.problems()) {
          problems.add(at(node) + "catalogue: " + problem);
        }
        return Catalogue.builtIn();
      }
    }

    private BatonConfig empty() {
      return new BatonConfig(ServerConfig.defaults(), List.of(), RouterConfig.defaults(),
          DatabaseConfig.embeddedIn(base()), LoggingConfig.defaults(), Catalogue.builtIn(), null, null, null);
    }

    private DatabaseConfig database(@Nullable Node node) {
      Map<String, Node> m = node == null || isNull(node) ? Map.of() : mapping(node, "database", DATABASE_KEYS);
      if (m == null) {
        return DatabaseConfig.embeddedIn(base());
      }
      String url = string(m.get("url"), "database.url");
      String user = string(m.get("user"), "database.user");
      String password = string(m.get("password"), "database.password");
      String dataDir = string(m.get("data_dir"), "database.data_dir");
      if (url != null && !url.isBlank() && DATABASE_SCHEMES.stream().noneMatch(url.strip()::startsWith)) {
        problems.add(where("database.url") + "database.url: expected jdbc:postgresql://host:5432/db or "
            + "postgres://user:password@host/db (or empty for the embedded database), was '"
            + DatabaseConfig.redact(url) + "'");
      }
      Path dir = base().resolve(DatabaseConfig.DEFAULT_DATA_DIR);
      if (dataDir != null) {
        if (dataDir.isBlank()) {
          problems.add(where("database.data_dir") + "database.data_dir: must not be empty");
        } else {
          try {
            dir = base().resolve(dataDir.strip());
          } catch (java.nio.file.InvalidPathException e) {
            problems.add(where("database.data_dir") + "database.data_dir: not a valid path: " + e.getReason());
          }
        }
      }
      return new DatabaseConfig(url, user, password == null ? null : Secret.of(password), dir);
    }

    private LoggingConfig logging(@Nullable Node node) {
      Map<String, Node> m = node == null || isNull(node) ? Map.of() : mapping(node, "logging", LOGGING_KEYS);
      if (m == null) {
        return LoggingConfig.defaults();
      }
      Boolean storeContent = bool(m.get("store_content"), "logging.store_content");
      return new LoggingConfig(storeContent != null && storeContent);
    }

    private ServerConfig server(@Nullable Node node) {
      ServerConfig d = ServerConfig.defaults();
      Map<String, Node> m = node == null || isNull(node) ? Map.of() : mapping(node, "server", SERVER_KEYS);
      if (m == null) {
        return d;
      }
      String host = string(m.get("host"), "server.host");
      Integer port = integer(m.get("port"), "server.port");
      String masterKey = string(m.get("master_key"), "server.master_key");
      Long maxBody = size(m.get("max_body"), "server.max_body");
      Duration readTimeout = duration(m.get("read_timeout"), "server.read_timeout");
      Duration shutdownGrace = duration(m.get("shutdown_grace"), "server.shutdown_grace");
      return new ServerConfig(host == null ? d.host() : host, port == null ? d.port() : port,
          masterKey == null || masterKey.isEmpty() ? null : Secret.of(masterKey),
          maxBody == null ? d.maxBody() : maxBody,
          readTimeout == null ? d.readTimeout() : readTimeout,
          shutdownGrace == null ? d.shutdownGrace() : shutdownGrace);
    }

    private List<ModelConfig> models(@Nullable Node node) {
      if (node == null) {
        problems.add(name + ": 'models' is missing: list at least one model");
        return List.of();
      }
      line("models", node);
      if (!(node instanceof SequenceNode sequence)) {
        problems.add(where("models") + "models: must be a list of models, each with name, provider and model");
        return List.of();
      }
      List<ModelConfig> models = new ArrayList<>();
      for (int i = 0; i < sequence.getValue().size(); i++) {
        ModelConfig model = model(sequence.getValue().get(i), "models[" + i + "]");
        if (model != null) {
          models.add(model);
        }
      }
      return models;
    }

    private @Nullable ModelConfig model(Node node, String path) {
      Set<String> allowed = new LinkedHashSet<>(MODEL_KEYS);
      String providerName = null;
      if (node instanceof MappingNode mapping) {
        for (NodeTuple t : mapping.getValue()) {
          if (t.getKeyNode() instanceof ScalarNode key && key.getValue().equals("provider")
              && t.getValueNode() instanceof ScalarNode value) {
            // Its problems, such as an unset variable, are reported when the field itself is read.
            providerName = new Reader(name, folder, environment).interpolate(value.getValue(), "", value);
          }
        }
      }
      ProviderFactory factory = providerName == null ? null : Providers.get(providerName);
      if (factory != null) {
        allowed.addAll(factory.options());
      }
      Map<String, Node> m = mapping(node, path, allowed);
      if (m == null) {
        return null;
      }
      String modelName = required(m, "name", path);
      String provider = required(m, "provider", path);
      String model = required(m, "model", path);
      if (modelName == null || provider == null || model == null) {
        return null;
      }
      ModelConfig.Builder b = ModelConfig.builder(modelName, provider, model)
          .origin(where(path) + path + " '" + modelName + "'")
          .apiBase(string(m.get("api_base"), path + ".api_base"))
          .apiKey(string(m.get("api_key"), path + ".api_key"))
          .timeout(duration(m.get("timeout"), path + ".timeout"))
          .firstTokenTimeout(duration(m.get("first_token_timeout"), path + ".first_token_timeout"))
          .idleTimeout(duration(m.get("idle_timeout"), path + ".idle_timeout"))
          .retries(integer(m.get("retries"), path + ".retries"))
          .rpm(integer(m.get("rpm"), path + ".rpm"))
          .tpm(integer(m.get("tpm"), path + ".tpm"))
          .maxInputTokens(integer(m.get("max_input_tokens"), path + ".max_input_tokens"))
          .inputCostPerMtok(number(m.get("input_cost_per_mtok"), path + ".input_cost_per_mtok"))
          .outputCostPerMtok(number(m.get("output_cost_per_mtok"), path + ".output_cost_per_mtok"))
          .assistantPrefill(bool(m.get("assistant_prefill"), path + ".assistant_prefill"))
          .hedgeAfter(string(m.get("hedge_after"), path + ".hedge_after"));
      Integer weight = integer(m.get("weight"), path + ".weight");
      if (weight != null) {
        b.weight(weight);
      }
      if (factory != null) {
        for (String option : factory.options()) {
          String value = string(m.get(option), path + "." + option);
          if (value != null && folder != null && factory.pathOptions().contains(option)) {
            value = resolve(value, path + "." + option);
          }
          if (value != null) {
            b.option(option, value);
          }
        }
      }
      return b.build();
    }

    private RouterConfig router(@Nullable Node node) {
      RouterConfig d = RouterConfig.defaults();
      Map<String, Node> m = node == null || isNull(node) ? Map.of() : mapping(node, "router", ROUTER_KEYS);
      if (m == null) {
        return d;
      }
      Integer retries = integer(m.get("retries"), "router.retries");
      Duration timeout = duration(m.get("timeout"), "router.timeout");
      String strategy = string(m.get("strategy"), "router.strategy");
      CooldownConfig cooldown = cooldown(m.get("cooldown"));
      List<String> defaults = names(m.get("default_fallbacks"), "router.default_fallbacks");
      Duration maxRetryAfterWait = duration(m.get("max_retry_after_wait"), "router.max_retry_after_wait");
      return new RouterConfig(
          retries == null ? d.retries() : retries,
          timeout == null ? d.timeout() : timeout,
          d.attemptTimeout(),
          d.idleTimeout(),
          strategy == null ? d.strategy() : strategy,
          fallbackMap(m.get("fallbacks"), "router.fallbacks"),
          defaults == null ? List.of() : defaults,
          fallbackMap(m.get("context_window_fallbacks"), "router.context_window_fallbacks"),
          fallbackMap(m.get("content_policy_fallbacks"), "router.content_policy_fallbacks"),
          cooldown,
          maxRetryAfterWait == null ? d.maxRetryAfterWait() : maxRetryAfterWait);
    }

    /** The {@code telemetry:} section; given at all, even empty, it turns traces on. */
    private @Nullable TelemetryConfig telemetry(@Nullable Node node, boolean given) {
      if (!given) {
        return null;
      }
      Map<String, Node> m = node == null || isNull(node) ? Map.of() : mapping(node, "telemetry", TELEMETRY_KEYS);
      if (m == null) {
        return null;
      }
      String endpoint = string(m.get("otlp_endpoint"), "telemetry.otlp_endpoint");
      String serviceName = string(m.get("service_name"), "telemetry.service_name");
      return new TelemetryConfig(endpoint == null || endpoint.isBlank() ? null : endpoint.strip(), serviceName);
    }

    private CooldownConfig cooldown(@Nullable Node node) {
      CooldownConfig d = CooldownConfig.DEFAULT;
      Map<String, Node> m = node == null || isNull(node) ? Map.of() : mapping(node, "router.cooldown", COOLDOWN_KEYS);
      if (m == null) {
        return d;
      }
      Integer failures = integer(m.get("failures"), "router.cooldown.failures");
      Duration window = duration(m.get("window"), "router.cooldown.window");
      Duration duration = duration(m.get("duration"), "router.cooldown.duration");
      return new CooldownConfig(failures == null ? d.failures() : failures, window == null ? d.window() : window,
          duration == null ? d.duration() : duration);
    }

    private Map<String, List<String>> fallbackMap(@Nullable Node node, String path) {
      if (node == null || isNull(node)) {
        return Map.of();
      }
      line(path, node);
      if (!(node instanceof MappingNode mapping)) {
        problems.add(where(path) + path + ": must map model names to lists of fallback names");
        return Map.of();
      }
      Map<String, List<String>> map = new LinkedHashMap<>();
      for (NodeTuple t : mapping.getValue()) {
        String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
        if (key == null) {
          problems.add(at(t.getKeyNode()) + path + ": keys must be model names");
          continue;
        }
        String at = path + "." + key;
        line(at, t.getKeyNode());
        if (map.containsKey(key)) {
          problems.add(at(t.getKeyNode()) + at + ": listed twice");
        }
        List<String> names = names(t.getValueNode(), at);
        map.put(key, names == null ? List.of() : names);
      }
      return map;
    }

    /** A list of model names; a single name is taken as a list of one. */
    private @Nullable List<String> names(@Nullable Node node, String path) {
      if (node == null || isNull(node)) {
        return null;
      }
      line(path, node);
      if (node instanceof ScalarNode) {
        String one = string(node, path);
        return one == null ? null : List.of(one);
      }
      if (!(node instanceof SequenceNode sequence)) {
        problems.add(where(path) + path + ": must be a list of model names");
        return null;
      }
      List<String> names = new ArrayList<>();
      for (int i = 0; i < sequence.getValue().size(); i++) {
        String value = string(sequence.getValue().get(i), path + "[" + i + "]");
        if (value != null) {
          names.add(value);
        }
      }
      return names;
    }

    private @Nullable Map<String, Node> mapping(Node node, String path, Set<String> allowed) {
      line(path, node);
      String label = path.isEmpty() ? "the top level" : path;
      if (!(node instanceof MappingNode mapping)) {
        problems.add(at(node) + label + ": must be a mapping of " + String.join(", ", allowed));
        return null;
      }
      Map<String, Node> result = new LinkedHashMap<>();
      for (NodeTuple t : mapping.getValue()) {
        if (!(t.getKeyNode() instanceof ScalarNode keyNode)) {
          problems.add(at(t.getKeyNode()) + label + ": keys must be plain names");
          continue;
        }
        String key = keyNode.getValue();
        String keyPath = path.isEmpty() ? key : path + "." + key;
        line(keyPath, keyNode);
        if (!allowed.contains(key)) {
          problems.add(at(keyNode) + keyPath + ": unknown key '" + key + "'" + suggestion(key, allowed));
        } else if (result.containsKey(key)) {
          problems.add(at(keyNode) + keyPath + ": the key '" + key + "' is given twice");
        } else {
          result.put(key, t.getValueNode());
        }
      }
      return result;
    }

    private @Nullable String required(Map<String, Node> m, String key, String path) {
      String value = string(m.get(key), path + "." + key);
      if (value == null || value.isBlank()) {
        if (!m.containsKey(key) || value == null) {
          problems.add(where(path) + path + ": '" + key + "' is required");
        } else {
          problems.add(where(path + "." + key) + path + "." + key + ": must not be empty");
        }
        return null;
      }
      return value;
    }

    private @Nullable String string(@Nullable Node node, String path) {
      if (node == null) {
        return null;
      }
      line(path, node);
      if (!(node instanceof ScalarNode scalar)) {
        problems.add(at(node) + path + ": must be a single value, not a " + (node instanceof SequenceNode ? "list" : "mapping"));
        return null;
      }
      if (isNull(scalar)) {
        return null;
      }
      return interpolate(scalar.getValue(), path, node);
    }

    private String interpolate(String value, String path, Node node) {
      if (value.indexOf("${") < 0) {
        return value;
      }
      Matcher m = VARIABLE.matcher(value);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String variable = m.group(1);
        String fallback = m.group(2);
        String replacement = environment.get(variable);
        if (replacement == null || (fallback != null && replacement.isEmpty())) {
          replacement = fallback;
        }
        if (replacement == null) {
          problems.add(at(node) + path + ": the environment variable " + variable
              + " is not set (write ${" + variable + ":-default} to give a default)");
          replacement = "";
        }
        m.appendReplacement(out, Matcher.quoteReplacement(replacement));
      }
      m.appendTail(out);
      return out.toString();
    }

    /** A file path relative to the configuration file's folder, made absolute; an unusable one is a problem. */
    private String resolve(String value, String path) {
      if (value.isBlank()) {
        return value;
      }
      try {
        return folder == null ? value : folder.resolve(value.strip()).normalize().toString();
      } catch (java.nio.file.InvalidPathException e) {
        problems.add(where(path) + path + ": '" + value + "' is not a valid path: " + e.getReason());
        return value;
      }
    }

    private @Nullable Integer integer(@Nullable Node node, String path) {
      String value = string(node, path);
      if (value == null) {
        return null;
      }
      try {
        return Integer.parseInt(value.strip());
      } catch (NumberFormatException e) {
        problems.add(at(node) + path + ": must be a whole number, was '" + value + "'");
        return null;
      }
    }

    private @Nullable Double number(@Nullable Node node, String path) {
      String value = string(node, path);
      if (value == null) {
        return null;
      }
      try {
        return Double.parseDouble(value.strip());
      } catch (NumberFormatException e) {
        problems.add(at(node) + path + ": must be a number, was '" + value + "'");
        return null;
      }
    }

    private @Nullable Boolean bool(@Nullable Node node, String path) {
      String value = string(node, path);
      if (value == null) {
        return null;
      }
      return switch (value.strip().toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default -> {
          problems.add(at(node) + path + ": must be true or false, was '" + value + "'");
          yield null;
        }
      };
    }

    private @Nullable Duration duration(@Nullable Node node, String path) {
      String value = string(node, path);
      if (value == null) {
        return null;
      }
      try {
        return Durations.parse(value);
      } catch (IllegalArgumentException e) {
        problems.add(at(node) + path + ": " + e.getMessage());
        return null;
      }
    }

    private @Nullable Long size(@Nullable Node node, String path) {
      String value = string(node, path);
      if (value == null) {
        return null;
      }
      Matcher m = SIZE.matcher(value.strip());
      if (!m.matches()) {
        problems.add(at(node) + path + ": expected a size such as 512KB, 10MB or 1GB, was '" + value + "'");
        return null;
      }
      String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
      long factor = switch (unit) {
        case "KB", "KIB" -> 1024L;
        case "MB", "MIB" -> 1024L * 1024;
        case "GB", "GIB" -> 1024L * 1024 * 1024;
        default -> 1L;
      };
      try {
        return Math.multiplyExact(Long.parseLong(m.group(1)), factor);
      } catch (ArithmeticException | NumberFormatException e) {
        problems.add(at(node) + path + ": the size '" + value + "' is too large");
        return null;
      }
    }

    private static boolean isNull(Node node) {
      return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL) && s.isPlain();
    }

    private void line(String path, Node node) {
      node.getStartMark().ifPresent(mark -> lines.putIfAbsent(path, mark.getLine() + 1));
    }

    private String at(@Nullable Node node) {
      if (node == null) {
        return name + ": ";
      }
      return node.getStartMark().map(Mark::getLine).map(l -> name + ":" + (l + 1) + ": ").orElse(name + ": ");
    }

    /** The file and line of a key path, or of its nearest parent that has one. */
    String where(String path) {
      String p = path;
      while (true) {
        Integer line = lines.get(p);
        if (line != null) {
          return name + ":" + line + ": ";
        }
        int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
        if (cut <= 0) {
          return name + ": ";
        }
        p = p.substring(0, cut);
      }
    }
  }

  /** "did you mean" for a near miss of a known key. */
  private static String suggestion(String key, Set<String> allowed) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : allowed) {
      int d = distance(key, candidate);
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    if (best != null && bestDistance <= Math.max(2, key.length() / 3)) {
      return "; did you mean '" + best + "'?";
    }
    return "; known keys: " + String.join(", ", allowed);
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
