package dev.baton.bench;

import dev.baton.Baton;
import dev.baton.ChatChunk;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.ChatStream;
import dev.baton.config.ModelConfig;
import dev.baton.server.PipelineBench;
import dev.baton.server.door.ChatCompletionsDoor;
import dev.baton.server.pipeline.Auth;
import dev.baton.server.pipeline.BodyLimit;
import dev.baton.server.pipeline.Pipeline;
import dev.baton.server.pipeline.RequestId;
import dev.baton.server.pipeline.Telemetry;
import java.time.Duration;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
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
 * What tracing costs a request: the same chat and stream through the SDK facade, from a {@code mock}
 * deployment that answers at once, untraced ({@code plain*}, the baseline of the same run) and traced by
 * the OpenTelemetry SDK as the gateway runs it — a request span, an attempt span, the attempt's
 * {@code traceparent}, a batching span processor with its bounded queue — whose exporter discards the
 * batches, so the figure is the request path's share and not a collector's. The {@code gateway*} pair
 * runs the gateway's chat route without its web server: request id, body limit, master key and the real
 * chat door over the same Batons, the traced one with the {@link Telemetry} filter's server span around it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TracingBench {

  private static final ChatRequest REQUEST = ChatRequest.of("Hello");

  private OpenTelemetrySdk otel;
  private Baton plain;
  private Baton traced;
  private Pipeline plainRoute;
  private Pipeline tracedRoute;
  private ChatCompletionsDoor plainDoor;
  private ChatCompletionsDoor tracedDoor;

  @Setup(Level.Trial)
  public void setUp() {
    otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(BatchSpanProcessor.builder(new Discarding()).build())
            .build())
        .build();
    plain = baton().build();
    traced = baton().openTelemetry(otel).build();
    plainRoute = route().build();
    tracedRoute = route().telemetry(new Telemetry(otel)).build();
    plainDoor = new ChatCompletionsDoor(plain);
    tracedDoor = new ChatCompletionsDoor(traced);
  }

  /** The model PipelineBench's request asks for, answered by a mock deployment. */
  private static Baton.Builder baton() {
    return Baton.builder().model(ModelConfig.builder("smart", "mock", "smart-1").option("mock_response", "Hi there.")
        .build());
  }

  private static Pipeline.Builder route() {
    return Pipeline.builder()
        .requestId(new RequestId())
        .bodyLimit(new BodyLimit(10 << 20, Duration.ofSeconds(30)))
        .auth(new Auth("sk-master-0123456789abcdef"));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    plain.close();
    traced.close();
    otel.close();
  }

  @Benchmark
  public ChatResponse plainChat() {
    return plain.chat(REQUEST);
  }

  @Benchmark
  public ChatResponse tracedChat() {
    return traced.chat(REQUEST);
  }

  @Benchmark
  public PipelineBench.Call gatewayPlain() {
    PipelineBench.Call call = new PipelineBench.Call();
    plainRoute.serve(call, "/v1/chat/completions", plainDoor);
    return call;
  }

  @Benchmark
  public PipelineBench.Call gatewayTraced() {
    PipelineBench.Call call = new PipelineBench.Call();
    tracedRoute.serve(call, "/v1/chat/completions", tracedDoor);
    return call;
  }

  @Benchmark
  public void plainStream(Blackhole bh) {
    read(plain, bh);
  }

  @Benchmark
  public void tracedStream(Blackhole bh) {
    read(traced, bh);
  }

  private static void read(Baton baton, Blackhole bh) {
    try (ChatStream stream = baton.stream(REQUEST)) {
      for (ChatChunk chunk : stream) {
        bh.consume(chunk);
      }
    }
  }

  /** An exporter that takes every batch and sends it nowhere. */
  private static final class Discarding implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
