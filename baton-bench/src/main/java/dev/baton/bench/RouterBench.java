package dev.baton.bench;

import dev.baton.BatonListener;
import dev.baton.ChatChunk;
import dev.baton.ChatResponse;
import dev.baton.ChatStream;
import dev.baton.Choice;
import dev.baton.FinishReason;
import dev.baton.Message;
import dev.baton.NotFoundException;
import dev.baton.Usage;
import dev.baton.config.BatonConfig;
import dev.baton.config.CooldownConfig;
import dev.baton.config.Environment;
import dev.baton.config.ModelConfig;
import dev.baton.config.RouterConfig;
import dev.baton.config.ServerConfig;
import dev.baton.provider.ChunkSource;
import dev.baton.provider.ProviderContext;
import dev.baton.router.Routed;
import dev.baton.router.Router;
import dev.baton.transport.HttpTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The router's own cost per request — plan, pick, circuit and limit checks, bookkeeping, attempt records
 * and events to a listener — with a provider that does nothing: each attempt's operation returns a
 * ready answer at once. The provider objects are the {@code mock} provider's, which the operation
 * ignores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouterBench {

  private static final ChatResponse ANSWER = new ChatResponse("chatcmpl-1", 1741570283, "gpt-4o",
      List.of(new Choice(0, Message.assistant("Hello."), FinishReason.STOP)), Usage.of(12, 3), null);

  private static final List<ChatChunk> CHUNKS = List.of(
      ChatChunk.text("chatcmpl-1", 1741570283, "gpt-4o", "Hel"),
      ChatChunk.text("chatcmpl-1", 1741570283, "gpt-4o", "lo."),
      new ChatChunk("chatcmpl-1", 1741570283, "gpt-4o", 0, null, null, List.of(), FinishReason.STOP, null, null));

  private HttpTransport http;
  private Router router;
  /** Events reach a listener, as they reach the gateway's metrics; this one only counts them. */
  private final LongAdder events = new LongAdder();

  @Setup(Level.Trial)
  public void setUp() {
    List<ModelConfig> models = List.of(
        mock("solo", "solo-1"),
        mock("trio", "trio-a"), mock("trio", "trio-b"), mock("trio", "trio-c"),
        mock("backup", "backup-1"),
        mock("flaky", "flaky-1"));
    // A circuit that never opens, so the fallback case fails over every time instead of skipping flaky.
    CooldownConfig cooldown = new CooldownConfig(Integer.MAX_VALUE, Duration.ofNanos(1), Duration.ofSeconds(30));
    RouterConfig routing = new RouterConfig(2, Duration.ofSeconds(120), Duration.ofSeconds(60), Duration.ofSeconds(30),
        "weighted", Map.of("trio", List.of("backup"), "flaky", List.of("backup")), List.of(), Map.of(), Map.of(),
        cooldown);
    http = new HttpTransport();
    BatonListener counter = event -> events.increment();
    router = new Router(new BatonConfig(ServerConfig.defaults(), models, routing),
        new ProviderContext(Environment.of(Map.of()), http), List.of(counter));
  }

  private static ModelConfig mock(String name, String model) {
    return ModelConfig.builder(name, "mock", model).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    router.close();
    http.close();
  }

  /** One deployment, answered at the first attempt. */
  @Benchmark
  public Routed<ChatResponse> oneDeployment() {
    return router.call("solo", null, 300, (provider, call) -> ANSWER);
  }

  /** A group of three (weighted order) with a fallback configured, answered at the first attempt. */
  @Benchmark
  public Routed<ChatResponse> groupOfThree() {
    return router.call("trio", null, 300, (provider, call) -> ANSWER);
  }

  /** The first model fails (404, no retry), the fallback answers: two attempts and a fallback event. */
  @Benchmark
  public Routed<ChatResponse> fallbackTaken() {
    return router.call("flaky", null, 300, (provider, call) -> {
      if (call.deployment().equals("flaky")) {
        throw new NotFoundException(call.source(), "model not found");
      }
      return ANSWER;
    });
  }

  /** A stream of three chunks through the router, answered at the first attempt. */
  @Benchmark
  public void streamOneDeployment(Blackhole bh) {
    try (ChatStream stream = router.stream("solo", null, 300, false,
        (provider, call, continuation) -> new ListSource(CHUNKS))) {
      for (ChatChunk chunk : stream) {
        bh.consume(chunk);
      }
    }
  }

  private static final class ListSource implements ChunkSource {
    private final List<ChatChunk> chunks;
    private int next;

    ListSource(List<ChatChunk> chunks) {
      this.chunks = chunks;
    }

    @Override
    public @Nullable ChatChunk next() {
      return next < chunks.size() ? chunks.get(next++) : null;
    }

    @Override
    public void close() {}
  }
}
