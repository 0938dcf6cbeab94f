package dev.baton.spring;

import dev.baton.Baton;
import dev.baton.ChatChunk;
import dev.baton.ChatStream;
import dev.baton.FinishReason;
import dev.baton.ToolCall;
import dev.baton.ToolCallDelta;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.observation.ChatModelObservationConvention;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation;
import org.springframework.ai.chat.observation.DefaultChatModelObservationConvention;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * A Spring AI {@link ChatModel} over Baton: each prompt is answered by the first model that can, and a
 * stream that breaks is finished by the next. Tools work through Spring AI's tool calling
 * ({@code ChatClient}'s tool-calling advisor runs them: this model sends the definitions and returns the
 * calls); {@link ChatResponse#getMetadata()} carries the usage, the answering model's public name as its
 * {@code model}, and the attempts under {@code baton.attempts}. Each call is observed as Spring AI observes
 * chat models ({@code gen_ai.client.operation}).
 */
public class BatonChatModel implements ChatModel {

  private static final ChatModelObservationConvention DEFAULT_CONVENTION = new DefaultChatModelObservationConvention();

  private final Baton baton;
  private final BatonChatOptions defaultOptions;
  private final ObservationRegistry observations;

  /**
   * @param defaultOptions options every prompt starts from; its {@code model} is the public name asked for
   *     (unset, the Baton's first model)
   */
  public BatonChatModel(Baton baton, BatonChatOptions defaultOptions, ObservationRegistry observations) {
    this.baton = Objects.requireNonNull(baton, "baton");
    this.defaultOptions = Objects.requireNonNull(defaultOptions, "defaultOptions");
    this.observations = Objects.requireNonNull(observations, "observations");
  }

  public BatonChatModel(Baton baton) {
    this(baton, BatonChatOptions.builder().build(), ObservationRegistry.NOOP);
  }

  @Override
  public ChatResponse call(Prompt prompt) {
    BatonChatOptions options = BatonChatOptions.merged(defaultOptions, prompt.getOptions());
    Prompt sent = new Prompt(prompt.getInstructions(), options);
    ChatModelObservationContext context = ChatModelObservationContext.builder().prompt(sent).provider("baton").build();
    return Objects.requireNonNull(ChatModelObservationDocumentation.CHAT_MODEL_OPERATION
        .observation(null, DEFAULT_CONVENTION, () -> context, observations)
        .observe(() -> {
          dev.baton.ChatResponse r = baton.chat(SpringAiMessages.request(sent, options, defaultOptions.getModel(), false));
          ChatResponse response = SpringAiMessages.response(r.id(), r.message().content(), r.toolCalls(),
              r.finishReason(), r.usage(), r.model(), r.upstreamModel(), r.attempts());
          context.setResponse(response);
          return response;
        }));
  }

  /**
   * Streams the answer: a response per text delta, then a last one with the complete tool calls, the
   * finish reason, the usage and the attempts. Cancelling the subscription closes the upstream connection.
   */
  @Override
  public Flux<ChatResponse> stream(Prompt prompt) {
    BatonChatOptions options = BatonChatOptions.merged(defaultOptions, prompt.getOptions());
    return Flux.create(sink -> {
      Thread reader = Thread.ofVirtual().name("baton-spring-ai-stream").unstarted(() -> read(
          new Prompt(prompt.getInstructions(), options), options, sink));
      reader.start();
    }, FluxSink.OverflowStrategy.BUFFER);
  }

  private void read(Prompt prompt, BatonChatOptions options, FluxSink<ChatResponse> sink) {
    ChatStream stream;
    try {
      stream = baton.stream(SpringAiMessages.request(prompt, options, defaultOptions.getModel(), true));
    } catch (RuntimeException e) {
      sink.error(e);
      return;
    }
    sink.onDispose(stream::close);
    try (stream) {
      TreeMap<Integer, String[]> calls = new TreeMap<>();
      FinishReason finish = null;
      String id = "";
      String upstreamModel = "";
      for (ChatChunk chunk : stream) {
        if (sink.isCancelled()) {
          return;
        }
        if (!chunk.id().isEmpty()) {
          id = chunk.id();
          upstreamModel = chunk.upstreamModel();
        }
        for (ToolCallDelta delta : chunk.toolCalls()) {
          String[] call = calls.computeIfAbsent(delta.index(), i -> new String[] {"", "", ""});
          call[0] = delta.id() != null ? delta.id() : call[0];
          call[1] = delta.name() != null ? delta.name() : call[1];
          call[2] += delta.arguments() != null ? delta.arguments() : "";
        }
        if (chunk.finishReason() != null) {
          finish = chunk.finishReason();
        }
        if (chunk.content() != null && !chunk.content().isEmpty()) {
          sink.next(SpringAiMessages.response(id, chunk.content(), List.of(), null, null, stream.model(),
              upstreamModel, List.of()));
        }
      }
      List<ToolCall> toolCalls = new ArrayList<>();
      calls.values().forEach(c -> toolCalls.add(new ToolCall(c[0], c[1], c[2].isEmpty() ? "{}" : c[2])));
      sink.next(SpringAiMessages.response(id, "", toolCalls, finish, stream.usage(), stream.model(), upstreamModel,
          stream.attempts()));
      sink.complete();
    } catch (RuntimeException e) {
      if (!sink.isCancelled()) {
        sink.error(e);
      }
    }
  }

  @Override
  public BatonChatOptions getOptions() {
    return defaultOptions;
  }

  /** The Baton behind this model. */
  public Baton baton() {
    return baton;
  }

  @Override
  public String toString() {
    return "BatonChatModel" + baton.models();
  }
}
