package dev.baton.local.gguf;

import de.kherud.llama.LlamaModel;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.Choice;
import dev.baton.CompletionRequest;
import dev.baton.CompletionResponse;
import dev.baton.ContextWindowExceededException;
import dev.baton.Message;
import dev.baton.UnsupportedRequestException;
import dev.baton.Usage;
import dev.baton.local.InferencePool;
import dev.baton.provider.Call;
import dev.baton.provider.Capabilities;
import dev.baton.provider.ChunkSource;
import dev.baton.provider.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chat and text completions from a GGUF model in this process. Chat prompts are rendered with the chat
 * template in the file ({@link ChatPrompt}); completions take their prompt as it is. Each answer is one
 * of llama.cpp's parallel sequences: at most {@code max_concurrency} run at once, and the rest wait their
 * turn on the deployment's {@link InferencePool} within the attempt's time limits. A prompt that does not
 * fit the context is a {@link ContextWindowExceededException} before anything runs, so the router's
 * context-window fallbacks apply.
 */
final class GgufProvider implements Provider {

  private final String model;
  private final LlamaModel llama;
  private final GgufHeader header;
  private final int contextSize;
  private final InferencePool pool;
  private final Set<Generation> running = ConcurrentHashMap.newKeySet();

  GgufProvider(String model, LlamaModel llama, GgufHeader header, int contextSize, int concurrency) {
    this.model = model;
    this.llama = llama;
    this.header = header;
    this.contextSize = contextSize;
    this.pool = new InferencePool("baton-gguf", concurrency);
  }

  @Override
  public Capabilities capabilities() {
    // A trailing assistant message is rendered as a finished turn, so a broken answer is continued by asking.
    return new Capabilities(false, false);
  }

  @Override
  public ChatResponse chat(ChatRequest request, Call call) {
    Generation.Answer answer = start(ChatPrompt.render(llama, request, call), Sampling.of(request), call).collect();
    return new ChatResponse(id(), now(), model,
        List.of(new Choice(0, Message.assistant(answer.text()), answer.finish())), answer.usage(), null);
  }

  @Override
  public ChunkSource streamChat(ChatRequest request, Call call) {
    return start(ChatPrompt.render(llama, request, call), Sampling.of(request), call);
  }

  @Override
  public CompletionResponse complete(CompletionRequest request, Call call) {
    unsupportedSuffix(request, call);
    List<CompletionResponse.Choice> choices = new ArrayList<>();
    Usage usage = Usage.NONE;
    for (String prompt : request.prompts()) {
      Generation.Answer answer = start(prompt, Sampling.of(request), call).collect();
      choices.add(new CompletionResponse.Choice(choices.size(), answer.text(), answer.finish()));
      usage = usage.plus(answer.usage());
    }
    return new CompletionResponse("cmpl-" + id().substring("chatcmpl-".length()), now(), model, choices, usage,
        null);
  }

  @Override
  public ChunkSource streamCompletion(CompletionRequest request, Call call) {
    unsupportedSuffix(request, call);
    if (request.prompts().size() != 1) {
      throw new UnsupportedRequestException(call.source(), "a gguf model streams one prompt at a time");
    }
    return start(request.prompt(), Sampling.of(request), call);
  }

  private static void unsupportedSuffix(CompletionRequest request, Call call) {
    if (request.suffix() != null) {
      throw new UnsupportedRequestException(call.source(), "a gguf model here does not fill in text (suffix)");
    }
  }

  private Generation start(String prompt, Sampling sampling, Call call) {
    int tokens = promptTokens(prompt);
    // llama.cpp keeps one place in the context free for the token it is computing.
    int room = contextSize - 1 - tokens;
    if (room < 1) {
      throw new ContextWindowExceededException(call.source(400, "context_length_exceeded", null),
          "This model's maximum context length is " + contextSize + " tokens. However, your messages resulted in "
              + tokens + " tokens.");
    }
    int budget = sampling.budget(room, call);
    return Generation.start(llama, pool, sampling.parameters(prompt, budget, call), call, model, tokens, budget,
        running);
  }

  /** The tokens llama.cpp makes of the prompt, the start token it adds included. */
  int promptTokens(String prompt) {
    return llama.encode(prompt).length + (header.addsStartToken() ? 1 : 0);
  }

  /** The deployment's generation threads, for tests and metrics. */
  InferencePool pool() {
    return pool;
  }

  private static String id() {
    return "chatcmpl-" + java.util.UUID.randomUUID().toString().replace("-", "");
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /**
   * Stops every generation and unloads the model. The binding (4.2.0) stops llama.cpp's work loop here but
   * does not free the model's memory, and the loop's thread stays attached to the JVM: a program that used
   * a gguf model ends with {@link System#exit}.
   */
  @Override
  public void close() {
    running.forEach(Generation::cancel);
    pool.close(10);
    llama.close();
  }
}
