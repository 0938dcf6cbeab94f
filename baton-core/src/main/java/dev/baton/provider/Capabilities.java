package dev.baton.provider;

/**
 * What a deployment can do beyond plain chat.
 *
 * @param assistantPrefill it continues a trailing assistant message (Anthropic, Mistral's prefix mode),
 *     so a broken stream can be resumed exactly where it stopped
 * @param embeddings it has an embeddings endpoint
 * @param prefillUnknown whether it continues a trailing assistant message cannot be known in advance
 *     (OpenAI-compatible servers: some continue it, some answer it anew, some refuse it), so the router
 *     finds out from the first prefill it sends, one that proves itself
 */
public record Capabilities(boolean assistantPrefill, boolean embeddings, boolean prefillUnknown) {

  /** A deployment that does, or does not, continue a trailing assistant message. */
  public Capabilities(boolean assistantPrefill, boolean embeddings) {
    this(assistantPrefill, embeddings, false);
  }

  /** A deployment whose handling of a trailing assistant message is learned: see {@link #prefillUnknown}. */
  public static Capabilities prefillToLearn(boolean embeddings) {
    return new Capabilities(false, embeddings, true);
  }
}
