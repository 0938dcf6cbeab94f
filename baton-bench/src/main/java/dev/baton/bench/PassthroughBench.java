package dev.baton.bench;

import com.fasterxml.jackson.core.JsonParser;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.wire.Json;
import dev.baton.wire.OpenAiRequestReader;
import dev.baton.wire.OpenAiRequestWriter;
import dev.baton.wire.OpenAiResponseReader;
import dev.baton.wire.OpenAiResponseWriter;
import dev.baton.wire.WireRequest;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The OpenAI passthrough path of one non-streamed request, as the gateway runs it for an
 * OpenAI-compatible deployment: read the caller's body (checking it and finding {@code model} and
 * {@code stream}), write the upstream body (the same JSON with {@code model} replaced), then read the
 * upstream's answer and write it back to the caller.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PassthroughBench {

  private final byte[] request = Samples.CHAT_REQUEST;
  private final byte[] response = Samples.CHAT_RESPONSE;
  private final ChatRequest parsed = OpenAiRequestReader.chat(request).request();

  /** The caller's body read: {@code OpenAiRequestReader.chat}. */
  @Benchmark
  public WireRequest<ChatRequest> requestRead() {
    return OpenAiRequestReader.chat(request);
  }

  /** The upstream body written from a read request: {@code OpenAiRequestWriter.chat}. */
  @Benchmark
  public byte[] requestWrite() {
    return OpenAiRequestWriter.chat(parsed, "gpt-4o-2024-08-06", false, false);
  }

  /** Both: the request side of the passthrough. */
  @Benchmark
  public byte[] requestReadWrite() {
    ChatRequest r = OpenAiRequestReader.chat(request).request();
    return OpenAiRequestWriter.chat(r, "gpt-4o-2024-08-06", false, false);
  }

  /** The response side: read the upstream's answer (one pass over its JSON), write it for the caller. */
  @Benchmark
  public byte[] responseReadWrite() throws IOException {
    ChatResponse answer = OpenAiResponseReader.chat(response, "gpt-4o");
    return OpenAiResponseWriter.chat(answer);
  }

  /** The whole passthrough of one request: both sides. */
  @Benchmark
  public byte[] roundTrip() throws IOException {
    ChatRequest r = OpenAiRequestReader.chat(request).request();
    byte[] upstream = OpenAiRequestWriter.chat(r, "gpt-4o-2024-08-06", false, false);
    ChatResponse answer = OpenAiResponseReader.chat(response, "gpt-4o");
    byte[] out = OpenAiResponseWriter.chat(answer);
    return upstream.length > out.length ? upstream : out;
  }

  /**
   * The floor under {@link #requestRead}: Jackson's parser over the same body, every token read and
   * nothing built or checked (strings are skipped, not decoded). What {@code requestRead} costs beyond it
   * is all that a check-only scan with a lazily built typed request could save.
   */
  @Benchmark
  public int requestScanOnly() throws IOException {
    return tokens(request);
  }

  /** The same floor under the answer's read in {@link #responseReadWrite}. */
  @Benchmark
  public int responseScanOnly() throws IOException {
    return tokens(response);
  }

  private static int tokens(byte[] json) throws IOException {
    int tokens = 0;
    try (JsonParser parser = Json.MAPPER.createParser(json)) {
      while (parser.nextToken() != null) {
        tokens++;
      }
    }
    return tokens;
  }
}
