package dev.baton.local;

import dev.baton.config.Environment;
import dev.baton.config.ModelConfig;
import dev.baton.provider.Call;
import dev.baton.provider.Provider;
import dev.baton.provider.ProviderContext;
import dev.baton.provider.ProviderFactory;
import dev.baton.transport.HttpTransport;
import java.time.Duration;
import java.util.Map;

/** Attempts and deployments for tests that drive a local provider directly, without the router. */
public final class Calls {

  /** Local providers make no HTTP calls; the context needs a transport all the same. */
  private static final HttpTransport HTTP = new HttpTransport();

  private Calls() {}

  /** An attempt with {@code limit} for the whole answer, for the first token and between tokens. */
  public static Call within(Duration limit) {
    return new Call("local", "local", limit, limit, limit, Long.MAX_VALUE);
  }

  /** An attempt with ten seconds for each limit. */
  public static Call call() {
    return within(Duration.ofSeconds(10));
  }

  /** A deployment of {@code factory} with these settings, created as the router creates it. */
  public static Provider create(ProviderFactory factory, String model, Map<String, String> options) {
    ModelConfig.Builder b = ModelConfig.builder("local", factory.name(), model);
    options.forEach(b::option);
    return factory.create(b.build(), new ProviderContext(Environment.of(Map.of()), HTTP));
  }
}
