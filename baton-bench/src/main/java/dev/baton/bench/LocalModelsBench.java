package dev.baton.bench;

import dev.baton.Baton;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.EmbeddingResponse;
import dev.baton.testkit.TinyGguf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Local models through the SDK, as a caller sees them: the bundled all-MiniLM-L6-v2 (time per embedding,
 * one text per call and 32 per call) and the tiny GGUF test model on llama.cpp (time per generated token,
 * 128-token answers, the prompt's processing included). Per second is 1e9 divided by the figure. The tiny
 * model's figure measures Baton's and the binding's cost per token more than llama.cpp's arithmetic: a real
 * 0.5B model does hundreds of times more work per token.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class LocalModelsBench {

  private static final String SENTENCE = "Baton answers every request with the first model that can.";

  private Baton embeddings;
  private Baton chat;
  private Path model;
  private List<String> batch;

  @Setup
  public void load() throws IOException {
    embeddings = Baton.builder().environment(Map.of()).models("onnx/all-minilm-l6-v2").build();
    model = TinyGguf.model().writeTo(Files.createTempFile("baton-bench-tiny", ".gguf"));
    chat = Baton.builder().environment(Map.of()).models("gguf:" + model).build();
    batch = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      batch.add("Sentence " + i + " of a batch: " + "a few more words to embed, ".repeat(1 + i % 4) + SENTENCE);
    }
  }

  @TearDown
  public void unload() throws IOException {
    embeddings.close();
    chat.close();
    Files.deleteIfExists(model);
  }

  @Benchmark
  public EmbeddingResponse embedOneText() {
    return embeddings.embed(SENTENCE);
  }

  @Benchmark
  @OperationsPerInvocation(32)
  public EmbeddingResponse embed32TextsPerCall() {
    return embeddings.embed(batch);
  }

  @Benchmark
  @OperationsPerInvocation(128)
  public ChatResponse tinyGgufPerToken() {
    return chat.chat(ChatRequest.builder().user("Tell me a story").maxTokens(128).temperature(0.0).build());
  }
}
