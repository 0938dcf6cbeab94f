package dev.baton.catalogue;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** What a model can do beyond plain text chat, as the catalogue names it. */
public enum Capability {
  /** Function calling. */
  TOOLS,
  /** Images in the prompt. */
  VISION,
  /** Structured output that follows a JSON schema. */
  JSON_SCHEMA,
  /** Continuing a trailing assistant message, so a broken stream resumes exactly where it stopped. */
  PREFILL,
  /** Thinking before answering (reasoning tokens, billed as output). */
  REASONING,
  /** An embedding model rather than a chat model. */
  EMBEDDINGS;

  /** The name in the catalogue file, such as {@code json_schema}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  static @Nullable Capability of(String key) {
    for (Capability c : values()) {
      if (c.key().equals(key)) {
        return c;
      }
    }
    return null;
  }
}
