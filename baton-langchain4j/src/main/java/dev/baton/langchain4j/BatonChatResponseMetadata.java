package dev.baton.langchain4j;

import dev.baton.Attempt;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import java.util.List;
import java.util.Objects;

/**
 * A chat answer's metadata with what Baton adds: {@link #modelName()} is the public name of the model
 * that answered (not the one that failed first), {@link #upstreamModel()} the id its provider reported,
 * and {@link #attempts()} every attempt it took, failed ones included.
 *
 * <pre>{@code
 * ChatResponse response = model.chat(request);
 * BatonChatResponseMetadata baton = (BatonChatResponseMetadata) response.metadata();
 * baton.attempts().forEach(a -> System.out.println(a.model() + ": " + a.reason()));
 * }</pre>
 *
 * <p>{@code ChatModelListener}s find the same attempts in their context's attributes under
 * {@link #ATTEMPTS_ATTRIBUTE}, on success and on failure.
 */
public class BatonChatResponseMetadata extends ChatResponseMetadata {

  /** The listener attribute that holds a request's {@code List<Attempt>}. */
  public static final String ATTEMPTS_ATTRIBUTE = "baton.attempts";

  private final String upstreamModel;
  private final List<Attempt> attempts;

  protected BatonChatResponseMetadata(Builder builder) {
    super(builder);
    this.upstreamModel = builder.upstreamModel;
    this.attempts = builder.attempts == null ? List.of() : List.copyOf(builder.attempts);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The model id the answering provider reported, such as {@code gpt-4o-2024-08-06}. */
  public String upstreamModel() {
    return upstreamModel;
  }

  /** Every attempt in order, ending with the one that answered. */
  public List<Attempt> attempts() {
    return attempts;
  }

  @Override
  public Builder toBuilder() {
    Builder b = (Builder) toBuilder(builder());
    return b.upstreamModel(upstreamModel).attempts(attempts);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatonChatResponseMetadata that && super.equals(o)
        && Objects.equals(upstreamModel, that.upstreamModel) && attempts.equals(that.attempts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), upstreamModel, attempts);
  }

  @Override
  public String toString() {
    return "BatonChatResponseMetadata{id='" + id() + "', modelName='" + modelName() + "', upstreamModel='"
        + upstreamModel + "', tokenUsage=" + tokenUsage() + ", finishReason=" + finishReason() + ", attempts="
        + attempts.size() + "}";
  }

  /** Builds {@link BatonChatResponseMetadata}. */
  public static class Builder extends ChatResponseMetadata.Builder<Builder> {

    private String upstreamModel;
    private List<Attempt> attempts;

    public Builder upstreamModel(String upstreamModel) {
      this.upstreamModel = upstreamModel;
      return this;
    }

    public Builder attempts(List<Attempt> attempts) {
      this.attempts = attempts;
      return this;
    }

    @Override
    public BatonChatResponseMetadata build() {
      return new BatonChatResponseMetadata(this);
    }
  }
}
