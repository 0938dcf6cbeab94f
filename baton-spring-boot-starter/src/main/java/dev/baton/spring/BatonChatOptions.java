package dev.baton.spring;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.DefaultToolCallingChatOptions;
import org.springframework.ai.model.tool.StructuredOutputChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;

/**
 * Spring AI chat options for {@link BatonChatModel}: the common ones ({@code model} is a public Baton
 * model name, whose fallbacks apply), tool callbacks and context (so {@code ChatClient} tool calling
 * works), the output schema of native structured output, and Baton's own per-request fallback list.
 *
 * <pre>{@code
 * chatClient.prompt("Hello")
 *     .options(BatonChatOptions.builder().model("smart").fallbacks("fast", "local").temperature(0.2))
 *     .call().content();
 * }</pre>
 */
public class BatonChatOptions extends DefaultToolCallingChatOptions implements StructuredOutputChatOptions {

  private final @Nullable String outputSchema;
  private final @Nullable List<String> fallbacks;

  protected BatonChatOptions(@Nullable List<ToolCallback> toolCallbacks, @Nullable Map<String, Object> toolContext,
      @Nullable String model, @Nullable Double frequencyPenalty, @Nullable Integer maxTokens,
      @Nullable Double presencePenalty, @Nullable List<String> stopSequences, @Nullable Double temperature,
      @Nullable Integer topK, @Nullable Double topP, @Nullable String outputSchema, @Nullable List<String> fallbacks) {
    super(toolCallbacks, toolContext, model, frequencyPenalty, maxTokens, presencePenalty, stopSequences, temperature,
        topK, topP);
    this.outputSchema = outputSchema;
    this.fallbacks = fallbacks == null ? null : List.copyOf(fallbacks);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The JSON schema the answer must follow (Spring AI's native structured output), or null. */
  @Override
  public @Nullable String getOutputSchema() {
    return outputSchema;
  }

  /** This request's own fallback list, replacing the configured one; null when it has none. */
  public @Nullable List<String> getFallbacks() {
    return fallbacks;
  }

  @Override
  public Builder mutate() {
    Builder b = builder().model(getModel()).frequencyPenalty(getFrequencyPenalty()).maxTokens(getMaxTokens())
        .presencePenalty(getPresencePenalty()).stopSequences(getStopSequences()).temperature(getTemperature())
        .topK(getTopK()).topP(getTopP()).toolCallbacks(getToolCallbacks()).toolContext(getToolContext())
        .outputSchema(outputSchema);
    return fallbacks == null ? b : b.fallbacks(fallbacks);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof BatonChatOptions that && super.equals(o) && Objects.equals(outputSchema, that.outputSchema)
        && Objects.equals(fallbacks, that.fallbacks);
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), outputSchema, fallbacks);
  }

  /** Builds {@link BatonChatOptions}. */
  public static class Builder extends DefaultToolCallingChatOptions.Builder<Builder>
      implements StructuredOutputChatOptions.Builder<Builder> {

    private @Nullable String outputSchema;
    private @Nullable List<String> fallbacks;

    @Override
    public Builder outputSchema(@Nullable String outputSchema) {
      this.outputSchema = outputSchema;
      return self();
    }

    /** This request's own fallback list, replacing the configured fallbacks for it. */
    public Builder fallbacks(String... models) {
      return fallbacks(List.of(models));
    }

    public Builder fallbacks(@Nullable List<String> models) {
      this.fallbacks = models;
      return self();
    }

    @Override
    public Builder toolCallbacks(@Nullable List<ToolCallback> toolCallbacks) {
      return super.toolCallbacks(toolCallbacks);
    }

    @Override
    public Builder toolContext(@Nullable Map<String, Object> context) {
      return super.toolContext(context);
    }

    @Override
    public Builder combineWith(ChatOptions.Builder<?> other) {
      super.combineWith(other);
      if (other instanceof Builder that) {
        if (that.outputSchema != null) {
          this.outputSchema = that.outputSchema;
        }
        if (that.fallbacks != null) {
          this.fallbacks = that.fallbacks;
        }
      } else if (other instanceof StructuredOutputChatOptions.Builder<?>) {
        ChatOptions built = other.build();
        if (built instanceof StructuredOutputChatOptions structured && structured.getOutputSchema() != null) {
          this.outputSchema = structured.getOutputSchema();
        }
      }
      return self();
    }

    @Override
    public BatonChatOptions build() {
      return new BatonChatOptions(toolCallbacks, toolContext, model, frequencyPenalty, maxTokens, presencePenalty,
          stopSequences, temperature, topK, topP, outputSchema, fallbacks);
    }
  }

  /** The options a request is sent with: its own, over the model's defaults. */
  static BatonChatOptions merged(BatonChatOptions defaults, @Nullable ChatOptions request) {
    if (request == null) {
      return defaults;
    }
    if (request instanceof BatonChatOptions baton) {
      return baton;
    }
    Builder b = defaults.mutate();
    b.model(request.getModel() != null ? request.getModel() : defaults.getModel());
    if (request.getTemperature() != null) {
      b.temperature(request.getTemperature());
    }
    if (request.getTopP() != null) {
      b.topP(request.getTopP());
    }
    if (request.getTopK() != null) {
      b.topK(request.getTopK());
    }
    if (request.getMaxTokens() != null) {
      b.maxTokens(request.getMaxTokens());
    }
    if (request.getStopSequences() != null) {
      b.stopSequences(request.getStopSequences());
    }
    if (request.getFrequencyPenalty() != null) {
      b.frequencyPenalty(request.getFrequencyPenalty());
    }
    if (request.getPresencePenalty() != null) {
      b.presencePenalty(request.getPresencePenalty());
    }
    if (request instanceof ToolCallingChatOptions tools) {
      if (tools.getToolCallbacks() != null) {
        b.toolCallbacks(tools.getToolCallbacks());
      }
      if (tools.getToolContext() != null) {
        b.toolContext(tools.getToolContext());
      }
    }
    if (request instanceof StructuredOutputChatOptions structured && structured.getOutputSchema() != null) {
      b.outputSchema(structured.getOutputSchema());
    }
    return b.build();
  }
}
