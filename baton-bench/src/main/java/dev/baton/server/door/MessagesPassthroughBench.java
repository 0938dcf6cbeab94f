package dev.baton.server.door;

import dev.baton.ChatRequest;
import dev.baton.provider.MessagesBody;
import dev.baton.wire.OpenAiRequestReader;
import dev.baton.wire.OpenAiRequestWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The request side of the two passthroughs, for the same conversation (bench/data's bodies): the chat door's
 * read and write for an OpenAI-compatible deployment, against the Messages door's read (the caller's bytes
 * and the translated request) and write for an Anthropic one. The answer side is
 * {@code dev.baton.provider.anthropic.AnthropicAnswerBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MessagesPassthroughBench {

  private final byte[] chat = data("chat-request.json");
  private final byte[] messages = data("messages-request.json");

  /** The chat door: read and write. */
  @Benchmark
  public byte[] chatRequest() {
    ChatRequest r = OpenAiRequestReader.chat(chat).request();
    return OpenAiRequestWriter.chat(r, "gpt-4o-2024-08-06", false, false);
  }

  /** The Messages door: read and write. */
  @Benchmark
  public byte[] messagesRequest() {
    ChatRequest r = MessagesReader.read(messages, false, "2023-06-01", null).request();
    return ((MessagesBody) r.source()).write("claude-haiku-4-5");
  }

  /** A file of the repository's {@code bench/data}, found from the working directory or one above it. */
  public static byte[] data(String name) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path file = dir.resolve("bench/data").resolve(name);
      if (Files.isRegularFile(file)) {
        try {
          return Files.readAllBytes(file);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new IllegalStateException("bench/data/" + name + " not found: run the benchmark inside the repository");
  }
}
