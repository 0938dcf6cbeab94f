package dev.baton.catalogue;

import dev.baton.ConfigException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads a catalogue file: named {@code sources} (a page and the day it was read) and, per provider and
 * model id, the figures with the sources they were read from. Every problem is reported at once, each
 * with its line: {@code my-models.yaml:12: models.openai.gpt-4o.input_cost_per_mtok: must be a number of
 * 0 or more, was 'cheap'}.
 *
 * <pre>{@code
 * sources:
 *   openai-pricing: {url: https://developers.openai.com/api/docs/pricing, read: 2026-12-04}
 * models:
 *   openai:
 *     gpt-4o:
 *       context_window: 128000
 *       max_output_tokens: 16384
 *       input_cost_per_mtok: 2.50
 *       output_cost_per_mtok: 10.00
 *       cached_input_cost_per_mtok: 1.25
 *       capabilities: [tools, vision, json_schema]
 *       limits_source: openai-gpt-4o
 *       prices_source: openai-pricing
 * }</pre>
 */
final class CatalogueReader {

  static final Set<String> TOP_KEYS = Set.of("sources", "models");
  static final Set<String> SOURCE_KEYS = Set.of("url", "read", "via");
  static final Set<String> MODEL_KEYS = Set.of("aliases", "context_window", "max_input_tokens", "max_output_tokens",
      "input_cost_per_mtok", "output_cost_per_mtok", "cached_input_cost_per_mtok", "cache_write_cost_per_mtok",
      "capabilities", "limits_source", "prices_source");

  private final String name;
  private final @Nullable Source defaultSource;
  private final List<String> problems = new ArrayList<>();
  private final Map<String, Source> sources = new LinkedHashMap<>();

  /**
   * @param name the file's name, for messages
   * @param defaultSource the source of figures that name none (a user's own file); null when every entry
   *     must name its sources (the built-in catalogue)
   */
  CatalogueReader(String name, @Nullable Source defaultSource) {
    this.name = name;
    this.defaultSource = defaultSource;
  }

  /** The entries, in file order; a {@link ConfigException} listing every problem if there are any. */
  List<ModelInfo> read(String yaml) {
    Optional<Node> composed;
    try {
      composed = new Compose(LoadSettings.builder().setLabel(name).build()).composeString(yaml);
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      throw new ConfigException(name + ":" + line + ": not valid YAML: " + e.getProblem());
    } catch (YamlEngineException e) {
      throw new ConfigException(name + ": not valid YAML: " + e.getMessage());
    }
    if (composed.isEmpty()) {
      return List.of();
    }
    Map<String, Node> top = mapping(composed.get(), "the top level", TOP_KEYS);
    List<ModelInfo> models = new ArrayList<>();
    if (top != null) {
      Node sourceNode = top.get("sources");
      if (sourceNode != null) {
        readSources(sourceNode);
      }
      Node modelNode = top.get("models");
      if (modelNode != null) {
        readModels(modelNode, models);
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return models;
  }

  private void readSources(Node node) {
    Map<String, Node> byId = mapping(node, "sources", null);
    if (byId == null) {
      return;
    }
    byId.forEach((id, value) -> {
      String path = "sources." + id;
      Map<String, Node> fields = mapping(value, path, SOURCE_KEYS);
      if (fields == null) {
        return;
      }
      String url = text(fields.get("url"), path + ".url");
      String read = text(fields.get("read"), path + ".read");
      if (url == null || url.isBlank()) {
        problems.add(at(value) + path + ": needs the url of the page the figures were read from");
      }
      LocalDate date = null;
      if (read == null) {
        problems.add(at(value) + path + ": needs the date the page was read ('read: 2026-12-04')");
      } else {
        try {
          date = LocalDate.parse(read.strip());
        } catch (DateTimeParseException e) {
          problems.add(at(fields.get("read")) + path + ".read: must be a date such as 2026-12-04, was '" + read + "'");
        }
      }
      String via = text(fields.get("via"), path + ".via");
      if (url != null && !url.isBlank() && date != null) {
        sources.put(id, new Source(url.strip(), date, via == null || via.isBlank() ? null : via.strip()));
      }
    });
  }

  private void readModels(Node node, List<ModelInfo> into) {
    Map<String, Node> providers = mapping(node, "models", null);
    if (providers == null) {
      return;
    }
    providers.forEach((provider, modelsNode) -> {
      Map<String, Node> models = mapping(modelsNode, "models." + provider, null);
      if (models == null) {
        return;
      }
      models.forEach((model, entry) -> {
        ModelInfo info = model(provider, model, entry, "models." + provider + "." + model);
        if (info != null) {
          into.add(info);
        }
      });
    });
  }

  private @Nullable ModelInfo model(String provider, String model, Node node, String path) {
    Map<String, Node> f = mapping(node, path, MODEL_KEYS);
    if (f == null) {
      return null;
    }
    Integer context = count(f.get("context_window"), path + ".context_window");
    Integer maxInput = count(f.get("max_input_tokens"), path + ".max_input_tokens");
    Integer maxOutput = count(f.get("max_output_tokens"), path + ".max_output_tokens");
    Double input = price(f.get("input_cost_per_mtok"), path + ".input_cost_per_mtok");
    Double output = price(f.get("output_cost_per_mtok"), path + ".output_cost_per_mtok");
    Double cached = price(f.get("cached_input_cost_per_mtok"), path + ".cached_input_cost_per_mtok");
    Double cacheWrite = price(f.get("cache_write_cost_per_mtok"), path + ".cache_write_cost_per_mtok");
    Set<Capability> capabilities = capabilities(f.get("capabilities"), path + ".capabilities");
    boolean hasLimits = context != null || maxInput != null || maxOutput != null || capabilities != null;
    boolean hasPrices = input != null || output != null || cached != null || cacheWrite != null;
    Source limits = source(f.get("limits_source"), path + ".limits_source", hasLimits, node, "limits");
    Source prices = source(f.get("prices_source"), path + ".prices_source", hasPrices, node, "prices");
    return new ModelInfo(provider, model, strings(f.get("aliases"), path + ".aliases"), context, maxInput, maxOutput,
        input, output, cached, cacheWrite, capabilities, limits, prices);
  }

  private @Nullable Source source(@Nullable Node node, String path, boolean needed, Node entry, String what) {
    String id = text(node, path);
    if (id == null) {
      if (needed && defaultSource == null) {
        problems.add(at(entry) + path + ": the entry's " + what + " need a source (one of: "
            + String.join(", ", sources.keySet()) + ")");
      }
      return needed ? defaultSource : null;
    }
    Source source = sources.get(id);
    if (source == null) {
      problems.add(at(node) + path + ": no source named '" + id + "' in 'sources'");
    }
    return source;
  }

  private @Nullable Set<Capability> capabilities(@Nullable Node node, String path) {
    if (node == null) {
      return null;
    }
    Set<Capability> set = EnumSet.noneOf(Capability.class);
    for (String key : strings(node, path)) {
      Capability c = Capability.of(key);
      if (c == null) {
        List<String> known = new ArrayList<>();
        for (Capability k : Capability.values()) {
          known.add(k.key());
        }
        problems.add(at(node) + path + ": unknown capability '" + key + "'; known: " + String.join(", ", known));
      } else {
        set.add(c);
      }
    }
    return set;
  }

  private List<String> strings(@Nullable Node node, String path) {
    if (node == null) {
      return List.of();
    }
    if (!(node instanceof SequenceNode sequence)) {
      problems.add(at(node) + path + ": must be a list such as [a, b]");
      return List.of();
    }
    List<String> values = new ArrayList<>();
    for (Node item : sequence.getValue()) {
      String value = text(item, path);
      if (value != null) {
        values.add(value.strip());
      }
    }
    return values;
  }

  private @Nullable Integer count(@Nullable Node node, String path) {
    String value = text(node, path);
    if (value == null) {
      return null;
    }
    try {
      int n = Integer.parseInt(value.strip().replace("_", ""));
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(at(node) + path + ": must be a whole number above 0, was '" + value + "'");
    return null;
  }

  private @Nullable Double price(@Nullable Node node, String path) {
    String value = text(node, path);
    if (value == null) {
      return null;
    }
    try {
      double d = Double.parseDouble(value.strip());
      if (d >= 0 && Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(at(node) + path + ": must be a number of 0 or more (USD per million tokens), was '" + value + "'");
    return null;
  }

  private @Nullable String text(@Nullable Node node, String path) {
    if (node == null) {
      return null;
    }
    if (!(node instanceof ScalarNode scalar)) {
      problems.add(at(node) + path + ": must be a single value");
      return null;
    }
    return scalar.getValue();
  }

  /** A mapping's entries by key; with {@code allowed}, any other key is a problem naming the known ones. */
  private @Nullable Map<String, Node> mapping(Node node, String path, @Nullable Set<String> allowed) {
    if (!(node instanceof MappingNode mapping)) {
      problems.add(at(node) + path + ": must be a mapping");
      return null;
    }
    Map<String, Node> result = new LinkedHashMap<>();
    for (NodeTuple t : mapping.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode key)) {
        problems.add(at(t.getKeyNode()) + path + ": keys must be plain names");
        continue;
      }
      String k = key.getValue();
      if (allowed != null && !allowed.contains(k)) {
        problems.add(at(key) + path + "." + k + ": unknown key '" + k + "'; known keys: "
            + String.join(", ", new java.util.TreeSet<>(allowed)));
      } else if (result.put(k, t.getValueNode()) != null) {
        problems.add(at(key) + path + "." + k + ": given twice");
      }
    }
    return result;
  }

  private String at(@Nullable Node node) {
    if (node == null) {
      return name + ": ";
    }
    return node.getStartMark().map(m -> name + ":" + (m.getLine() + 1) + ": ").orElse(name + ": ");
  }
}
