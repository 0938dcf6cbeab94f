package dev.baton.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.ChatResponse;
import dev.baton.server.door.MessagesPassthroughBench;
import dev.baton.wire.Json;
import dev.baton.wire.OpenAiResponseReader;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The answer side of the two passthroughs, for the same answer (bench/data's): what the router reads of an
 * OpenAI-compatible deployment's answer (one streaming pass) against what it reads of an Anthropic one
 * passed through (a tree), both kept to be sent on as they came.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AnthropicAnswerBench {

  private final byte[] chat = MessagesPassthroughBench.data("chat-response.json");
  private final byte[] message = MessagesPassthroughBench.data("messages-response.json");

  @Benchmark
  public ChatResponse chatAnswer() throws IOException {
    return OpenAiResponseReader.chat(chat, "gpt-4o");
  }

  @Benchmark
  public ChatResponse messagesAnswer() throws IOException {
    JsonNode root = Json.parse(message);
    return MessagesResponse.chat(root, "claude-haiku-4-5", new LeadingWhitespace(""), 0, message);
  }
}
