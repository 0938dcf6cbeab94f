package dev.baton.bench;

import dev.baton.config.RouterConfig;
import dev.baton.server.ui.Dashboard;
import dev.baton.store.AttemptRecord;
import dev.baton.store.RequestRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * What the admin UI's live counters add to each request: {@link Dashboard#record} hearing a finished
 * request's row — the traffic steps (1 s, 10 s, 1 min), each attempt's deployment window, and the offer to
 * the live feed (no listener open, as on a gateway nobody is watching). A plain answer and a fallback
 * through three deployments; also from four threads at once, as concurrent requests end.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DashboardBench {

  private final Dashboard dashboard = new Dashboard(List::of, RouterConfig.defaults(), Clock.systemUTC());
  private final RequestRecord answered = RequestRecord.builder(Instant.now()).model("llama").answeredBy("llama")
      .attempts(List.of(new AttemptRecord("llama", "success", null, 40))).tokens(11, 7).costUsd(0.0000036)
      .latencyMs(42).status(200).build();
  private final RequestRecord fellBack = RequestRecord.builder(Instant.now()).model("gpt-4o").answeredBy("llama")
      .attempts(List.of(new AttemptRecord("gpt-4o", "server_error", "503: overloaded", 120),
          new AttemptRecord("claude", "rate_limited", "429: slow down", 80),
          new AttemptRecord("llama", "success", null, 40)))
      .tokens(11, 7).costUsd(0.0000036).latencyMs(245).status(200).build();

  @Benchmark
  public void answered() {
    dashboard.record(answered);
  }

  @Benchmark
  public void fellBack() {
    dashboard.record(fellBack);
  }

  @Benchmark
  @Threads(4)
  public void fellBackFromFourThreads() {
    dashboard.record(fellBack);
  }
}
