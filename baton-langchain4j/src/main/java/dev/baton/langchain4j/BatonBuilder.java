package dev.baton.langchain4j;

import dev.baton.Baton;
import java.util.Objects;

/**
 * What every Baton adapter for LangChain4j is built from: a {@link Baton} (given, or made from
 * {@code provider/model} strings) and the public model name to ask for.
 *
 * @param <B> the concrete builder
 */
public abstract class BatonBuilder<B extends BatonBuilder<B>> {

  private Baton baton;
  private boolean owned;
  private String modelName;

  BatonBuilder() {}

  /**
   * The models to try, in order, as {@code provider/model} strings such as {@code openai/gpt-4o}; each
   * falls back to the next. Keys and endpoints come from the providers' usual environment variables
   * ({@code OPENAI_API_KEY}, {@code ANTHROPIC_API_KEY}, {@code OLLAMA_HOST}, ...). The adapter owns the
   * Baton it builds from them and closes it in {@code close()}.
   */
  public B models(String... providerSlashModel) {
    return baton(Baton.builder().models(providerSlashModel).build(), true);
  }

  /** A Baton built elsewhere, such as from a config file or the Spring Boot starter; it is not closed here. */
  public B baton(Baton baton) {
    return baton(baton, false);
  }

  /**
   * The public model name to ask for; its configured fallbacks apply. Unset, the Baton's first model.
   * A request's own {@code modelName} parameter wins over it.
   */
  public B modelName(String modelName) {
    this.modelName = Objects.requireNonNull(modelName, "modelName");
    return self();
  }

  private B baton(Baton baton, boolean owned) {
    this.baton = Objects.requireNonNull(baton, "baton");
    this.owned = owned;
    return self();
  }

  @SuppressWarnings("unchecked")
  final B self() {
    return (B) this;
  }

  Baton requireBaton() {
    if (baton == null) {
      throw new IllegalStateException("set the models: call models(\"provider/model\", ...) or baton(Baton)");
    }
    if (modelName != null && !baton.models().contains(modelName)) {
      throw new IllegalStateException("modelName '" + modelName + "' is not one of the Baton's models: "
          + String.join(", ", baton.models()));
    }
    return baton;
  }

  boolean owned() {
    return owned;
  }

  /** The model to ask for, or null for the Baton's default. */
  String modelName() {
    return modelName;
  }
}
