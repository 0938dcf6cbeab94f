package dev.baton.langchain4j;

import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * LangChain4j's common request parameters plus Baton's own: this request's fallback list, a seed, the
 * end user, parallel tool calls, strict JSON schemas and any other field for OpenAI-compatible
 * upstreams. Use it as a model's {@code defaultRequestParameters} or on one {@code ChatRequest}.
 *
 * <pre>{@code
 * ChatRequest request = ChatRequest.builder()
 *     .messages(UserMessage.from("Hello"))
 *     .parameters(BatonChatRequestParameters.builder()
 *         .modelName("smart")
 *         .fallbacks("fast", "local")
 *         .build())
 *     .build();
 * }</pre>
 */
public class BatonChatRequestParameters extends DefaultChatRequestParameters {

  private final List<String> fallbacks;
  private final Long seed;
  private final String endUser;
  private final Boolean parallelToolCalls;
  private final Boolean strictJsonSchema;
  private final Map<String, Object> extra;

  protected BatonChatRequestParameters(Builder builder) {
    super(builder);
    this.fallbacks = builder.fallbacks == null ? null : List.copyOf(builder.fallbacks);
    this.seed = builder.seed;
    this.endUser = builder.endUser;
    this.parallelToolCalls = builder.parallelToolCalls;
    this.strictJsonSchema = builder.strictJsonSchema;
    this.extra = Map.copyOf(builder.extra);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** This request's own fallback list, replacing the configured one; null when it has none. */
  public List<String> fallbacks() {
    return fallbacks;
  }

  public Long seed() {
    return seed;
  }

  /** The end-user id sent as OpenAI's {@code user} field. */
  public String endUser() {
    return endUser;
  }

  public Boolean parallelToolCalls() {
    return parallelToolCalls;
  }

  /** Whether a response format's JSON schema must be followed exactly (OpenAI's {@code strict}). */
  public Boolean strictJsonSchema() {
    return strictJsonSchema;
  }

  /** Other fields, passed to OpenAI-compatible upstreams as they are. */
  public Map<String, Object> extra() {
    return extra;
  }

  @Override
  public ChatRequestParameters overrideWith(ChatRequestParameters that) {
    return builder().overrideWith(this).overrideWith(that).build();
  }

  @Override
  public ChatRequestParameters defaultedBy(ChatRequestParameters that) {
    return builder().overrideWith(that).overrideWith(this).build();
  }

  void applyTo(dev.baton.ChatRequest.Builder b) {
    if (fallbacks != null) {
      b.fallbacks(fallbacks);
    }
    b.seed(seed).endUser(endUser).parallelToolCalls(parallelToolCalls);
    extra.forEach(b::extra);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatonChatRequestParameters that && super.equals(o)
        && Objects.equals(fallbacks, that.fallbacks) && Objects.equals(seed, that.seed)
        && Objects.equals(endUser, that.endUser) && Objects.equals(parallelToolCalls, that.parallelToolCalls)
        && Objects.equals(strictJsonSchema, that.strictJsonSchema) && extra.equals(that.extra);
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), fallbacks, seed, endUser, parallelToolCalls, strictJsonSchema, extra);
  }

  @Override
  public String toString() {
    return "BatonChatRequestParameters{" + super.toString() + ", fallbacks=" + fallbacks + ", seed=" + seed
        + ", parallelToolCalls=" + parallelToolCalls + ", strictJsonSchema=" + strictJsonSchema
        + ", extra=" + extra.keySet() + "}";
  }

  /** Builds {@link BatonChatRequestParameters}. */
  public static class Builder extends DefaultChatRequestParameters.Builder<Builder> {

    private List<String> fallbacks;
    private Long seed;
    private String endUser;
    private Boolean parallelToolCalls;
    private Boolean strictJsonSchema;
    private final Map<String, Object> extra = new LinkedHashMap<>();

    @Override
    public Builder overrideWith(ChatRequestParameters parameters) {
      super.overrideWith(parameters);
      if (parameters instanceof BatonChatRequestParameters that) {
        fallbacks = that.fallbacks != null ? that.fallbacks : fallbacks;
        seed = that.seed != null ? that.seed : seed;
        endUser = that.endUser != null ? that.endUser : endUser;
        parallelToolCalls = that.parallelToolCalls != null ? that.parallelToolCalls : parallelToolCalls;
        strictJsonSchema = that.strictJsonSchema != null ? that.strictJsonSchema : strictJsonSchema;
        extra.putAll(that.extra);
      }
      return this;
    }

    /** This request's own fallback list, replacing the configured fallbacks for it. */
    public Builder fallbacks(String... models) {
      return fallbacks(List.of(models));
    }

    public Builder fallbacks(List<String> models) {
      this.fallbacks = models;
      return this;
    }

    public Builder seed(Long seed) {
      this.seed = seed;
      return this;
    }

    public Builder endUser(String endUser) {
      this.endUser = endUser;
      return this;
    }

    public Builder parallelToolCalls(Boolean parallelToolCalls) {
      this.parallelToolCalls = parallelToolCalls;
      return this;
    }

    public Builder strictJsonSchema(Boolean strictJsonSchema) {
      this.strictJsonSchema = strictJsonSchema;
      return this;
    }

    /** Any other field, passed to OpenAI-compatible upstreams as it is. */
    public Builder extra(String field, Object value) {
      extra.put(Objects.requireNonNull(field, "field"), Objects.requireNonNull(value, "value"));
      return this;
    }

    @Override
    public BatonChatRequestParameters build() {
      return new BatonChatRequestParameters(this);
    }
  }
}
