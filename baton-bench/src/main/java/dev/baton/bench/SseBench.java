package dev.baton.bench;

import dev.baton.ChatChunk;
import dev.baton.transport.SseReader;
import dev.baton.wire.OpenAiResponseReader;
import dev.baton.wire.OpenAiResponseWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A streamed answer per chunk, over an in-memory OpenAI stream of {@value Samples#STREAM_CHUNKS} content
 * deltas (reported per event): the SSE reader alone, and the whole per-chunk work of the OpenAI
 * provider and the gateway (read the event, read its chunk in one pass over the JSON, write it for the caller).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SseBench {

  private final byte[] stream = Samples.CHAT_STREAM;

  /** {@link SseReader} alone: bytes to events. */
  @Benchmark
  @OperationsPerInvocation(Samples.STREAM_EVENTS)
  public void sseReader(Blackhole bh) {
    SseReader reader = new SseReader(new ByteArrayInputStream(stream));
    SseReader.Event event;
    while ((event = reader.next()) != null) {
      bh.consume(event);
    }
  }

  /** Per chunk as the gateway forwards an OpenAI-compatible stream: read the event, read its chunk, write it. */
  @Benchmark
  @OperationsPerInvocation(Samples.STREAM_EVENTS)
  public void openAiChunk(Blackhole bh) throws IOException {
    SseReader reader = new SseReader(new ByteArrayInputStream(stream));
    SseReader.Event event;
    while ((event = reader.next()) != null) {
      if (event.isDone()) {
        break;
      }
      ChatChunk chunk = OpenAiResponseReader.chunk(event.data(), "gpt-4o");
      bh.consume(OpenAiResponseWriter.chatChunk(chunk));
    }
  }
}
