package dev.baton.catalogue;

import dev.baton.ConfigException;
import dev.baton.config.ModelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Known models and their figures, by provider and model id: the built-in {@code models.yaml} (read once,
 * when first asked for, never on a request's path), optionally with a user's file merged over it. A
 * deployment takes from its entry whatever its configuration leaves unset — {@code max_input_tokens},
 * {@code input_cost_per_mtok}, {@code output_cost_per_mtok} and whether it continues a prefilled answer —
 * when the router is built ({@link #resolve}).
 *
 * <p>A model is found by its id or one of its aliases. On Bedrock a cross-region inference profile
 * ({@code us.anthropic.claude-...}, {@code eu.}, {@code apac.}, {@code global.}, ...) is found under the
 * model it serves.
 */
public final class Catalogue {

  static final String RESOURCE = "/dev/baton/catalogue/models.yaml";
  private static final Pattern BEDROCK_PROFILE = Pattern.compile("^(?:us|eu|apac|global|jp|au|ca|us-gov)\\.");

  /** The built-in catalogue, parsed on first use. */
  private static final class BuiltIn {
    static final Catalogue INSTANCE = readBuiltIn();
  }

  private final List<ModelInfo> models;
  /** provider, then lower-case id or alias, to entry. */
  private final Map<String, Map<String, ModelInfo>> index;

  private Catalogue(List<ModelInfo> models) {
    List<ModelInfo> sorted = new ArrayList<>(models);
    sorted.sort(Comparator.comparing(ModelInfo::provider).thenComparing(ModelInfo::model));
    this.models = List.copyOf(sorted);
    Map<String, Map<String, ModelInfo>> byProvider = new HashMap<>();
    for (ModelInfo m : this.models) {
      Map<String, ModelInfo> ids = byProvider.computeIfAbsent(m.provider(), p -> new HashMap<>());
      ids.put(key(m.model()), m);
      for (String alias : m.aliases()) {
        ids.putIfAbsent(key(alias), m);
      }
    }
    byProvider.replaceAll((p, ids) -> Map.copyOf(ids));
    this.index = Map.copyOf(byProvider);
  }

  /** Baton's own catalogue. */
  public static Catalogue builtIn() {
    return BuiltIn.INSTANCE;
  }

  /** A catalogue that knows no model: every deployment keeps exactly its configuration. */
  public static Catalogue empty() {
    return new Catalogue(List.of());
  }

  private static Catalogue readBuiltIn() {
    try (InputStream in = Catalogue.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the built-in catalogue " + RESOURCE + " is missing from the class path");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "models.yaml", null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the built-in catalogue " + RESOURCE, e);
    }
  }

  /**
   * Reads a user's catalogue file. Its figures need no source of their own: those that name none are
   * attributed to the file itself, dated by its last change.
   *
   * @throws ConfigException naming the file, and each problem in it with its line
   */
  public static Catalogue load(Path file) {
    String yaml;
    LocalDate changed;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
      changed = LocalDate.ofInstant(Files.getLastModifiedTime(file).toInstant(), ZoneOffset.UTC);
    } catch (NoSuchFileException e) {
      throw new ConfigException("the catalogue file " + file + " does not exist");
    } catch (IOException | UncheckedIOException e) {
      throw new ConfigException("the catalogue file " + file + " cannot be read: " + e.getMessage());
    }
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    return parse(yaml, name, new Source(file.toAbsolutePath().toUri().toString(), changed));
  }

  /**
   * Reads catalogue text.
   *
   * @param name the file's name, for messages
   * @param defaultSource where figures without a source come from; null when each must name one
   */
  static Catalogue parse(String yaml, String name, @Nullable Source defaultSource) {
    return new Catalogue(new CatalogueReader(name, defaultSource).read(yaml));
  }

  /** This catalogue with {@code over}'s entries merged in, figure by figure; {@code over}'s win. */
  public Catalogue overlaidWith(Catalogue over) {
    Map<String, ModelInfo> merged = new LinkedHashMap<>();
    for (ModelInfo m : models) {
      merged.put(m.provider() + "\u0000" + key(m.model()), m);
    }
    for (ModelInfo m : over.models) {
      ModelInfo base = find(m.provider(), m.model()).orElse(null);
      if (base == null) {
        merged.put(m.provider() + "\u0000" + key(m.model()), m);
      } else {
        merged.put(base.provider() + "\u0000" + key(base.model()), base.mergedWith(m));
      }
    }
    return new Catalogue(new ArrayList<>(merged.values()));
  }

  /** Every entry, by provider and then model id. */
  public List<ModelInfo> models() {
    return models;
  }

  /** The entry for a provider's model id or alias. */
  public Optional<ModelInfo> find(String provider, String model) {
    Map<String, ModelInfo> ids = index.get(provider);
    if (ids == null) {
      return Optional.empty();
    }
    ModelInfo found = ids.get(key(model));
    if (found == null && provider.equals("bedrock")) {
      found = ids.get(key(BEDROCK_PROFILE.matcher(model).replaceFirst("")));
    }
    return Optional.ofNullable(found);
  }

  /**
   * A deployment as it will be served: its configuration with the catalogue's figures wherever it sets
   * none, the entry they came from, and its prices.
   *
   * @param config the deployment as configured
   * @param info the catalogue's entry for it, or null when the catalogue does not know the model
   * @param pricing what its answers cost, or null when neither the configuration nor the catalogue says
   */
  public record Resolved(ModelConfig config, @Nullable ModelInfo info, @Nullable Pricing pricing) {}

  /** Fills what {@code config} leaves unset from the model's entry; the configuration always wins. */
  public Resolved resolve(ModelConfig config) {
    ModelInfo info = find(config.provider(), config.model()).orElse(null);
    ModelConfig completed = info == null ? config : config.withDefaults(info.inputTokenLimit(), info.inputPerMtok(),
        info.outputPerMtok(), info.capabilities() == null ? null : info.can(Capability.PREFILL));
    Double input = completed.inputCostPerMtok();
    Double output = completed.outputCostPerMtok();
    if (input == null && output == null) {
      return new Resolved(completed, info, null);
    }
    // Cache prices are the catalogue's only for the catalogue's own input price: a negotiated input price in
    // the configuration bills cached tokens at that price rather than at a list price that no longer applies.
    boolean listPrice = info != null && config.inputCostPerMtok() == null;
    Pricing pricing = new Pricing(input == null ? 0 : input, output == null ? 0 : output,
        listPrice ? info.cachedInputPerMtok() : null, listPrice ? info.cacheWritePerMtok() : null);
    return new Resolved(completed, info, pricing);
  }

  private static String key(String id) {
    return id.toLowerCase(Locale.ROOT);
  }
}
