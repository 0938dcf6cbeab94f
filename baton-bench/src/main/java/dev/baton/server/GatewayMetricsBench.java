package dev.baton.server;

import dev.baton.Attempt;
import dev.baton.BatonEvent;
import dev.baton.Usage;
import dev.baton.server.pipeline.GatewayMetrics;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The gateway's metrics per request: what {@link GatewayMetrics} records for one answered request — the
 * attempt's start and finish events from the router, then the request itself. (In the gateway's package,
 * so its results keep their name in bench/jmh.sh's table.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GatewayMetricsBench {

  private final GatewayMetrics metrics = new GatewayMetrics();
  private final Attempt attempt = new Attempt("smart", "smart", "openai-compatible", "gpt-4o",
      Attempt.Outcome.SUCCEEDED, null, Duration.ofNanos(412_000));
  private final BatonEvent started = new BatonEvent.AttemptStarted(1, "smart", "smart", "openai-compatible");
  private final BatonEvent finished = new BatonEvent.AttemptFinished(1, attempt);
  private final Usage usage = Usage.of(289, 41);
  private final Duration latency = Duration.ofNanos(530_000);

  /** One request's metrics: two router events and the request record. */
  @Benchmark
  public GatewayMetrics perRequest() {
    metrics.onEvent(started);
    metrics.onEvent(finished);
    metrics.request("/v1/chat/completions", "smart", 200, latency, usage);
    return metrics;
  }
}
