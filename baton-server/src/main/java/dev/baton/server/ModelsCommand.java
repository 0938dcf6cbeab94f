package dev.baton.server;

import dev.baton.ConfigException;
import dev.baton.catalogue.Catalogue;
import dev.baton.catalogue.ModelInfo;
import dev.baton.provider.Providers;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code baton models [--provider P] [--catalogue FILE]}: the model catalogue, one model a line — provider,
 * model id, context window, max output tokens, input and output USD per million tokens — with {@code -}
 * for a figure the catalogue does not have: {@code openai gpt-4o 128000 16384 2.50 10.00}.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = "List the model catalogue: provider, model, context window, max output tokens, input and"
        + " output USD per million tokens.")
final class ModelsCommand implements Callable<Integer> {

  @Option(names = "--provider", paramLabel = "P", description = "Only this provider's models, such as openai.")
  @Nullable String provider;

  @Option(names = "--catalogue", paramLabel = "FILE",
      description = "A catalogue file to merge over the built-in one, as the configuration's catalogue: does.")
  @Nullable Path catalogue;

  @Override
  public Integer call() {
    if (provider != null && Providers.get(provider) == null) {
      throw new ConfigException("unknown provider '" + provider + "'; known providers: "
          + String.join(", ", Providers.names()));
    }
    Catalogue shown = catalogue == null ? Catalogue.builtIn() : Catalogue.builtIn().overlaidWith(Catalogue.load(catalogue));
    List<ModelInfo> models = shown.models().stream()
        .filter(m -> provider == null || m.provider().equals(provider))
        .toList();
    print(System.out, models);
    if (models.isEmpty()) {
      System.err.println("baton: the catalogue has no " + provider + " models; give a deployment's"
          + " max_input_tokens and prices in its configuration, or add the models with --catalogue");
    }
    return 0;
  }

  static void print(PrintStream out, List<ModelInfo> models) {
    StringBuilder lines = new StringBuilder();
    for (ModelInfo m : models) {
      lines.append(m.provider()).append(' ').append(m.model()).append(' ')
          .append(count(m.contextWindow())).append(' ').append(count(m.maxOutputTokens())).append(' ')
          .append(price(m.inputPerMtok())).append(' ').append(price(m.outputPerMtok())).append('\n');
    }
    out.print(lines);
    out.flush();
  }

  private static String count(@Nullable Integer n) {
    return n == null ? "-" : n.toString();
  }

  /** USD with at least two decimals, and as many more as the price has: 2.50, 0.075. */
  static String price(@Nullable Double usd) {
    if (usd == null) {
      return "-";
    }
    BigDecimal exact = new BigDecimal(usd.toString()).stripTrailingZeros();
    return exact.setScale(Math.max(2, exact.scale())).toPlainString();
  }
}
