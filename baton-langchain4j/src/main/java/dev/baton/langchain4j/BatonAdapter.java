package dev.baton.langchain4j;

import dev.baton.Baton;

/** What every adapter holds: the Baton, whether it built it (and so closes it), and the model to ask for. */
abstract class BatonAdapter implements AutoCloseable {

  final Baton baton;
  private final boolean ownsBaton;
  /** The public model name to ask for; null for the Baton's first model. */
  final String modelName;

  BatonAdapter(BatonBuilder<?> builder) {
    this.baton = builder.requireBaton();
    this.ownsBaton = builder.owned();
    this.modelName = builder.modelName();
  }

  /** The Baton behind this model. */
  public Baton baton() {
    return baton;
  }

  /** Closes the Baton if this model built it from {@code models(...)}. */
  @Override
  public void close() {
    if (ownsBaton) {
      baton.close();
    }
  }
}
