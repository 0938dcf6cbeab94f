package dev.baton.provider;

/**
 * A provider that speaks Anthropic's Messages API natively. A chat request whose source is a
 * {@link MessagesBody} reaches it as that body with only {@code model} rewritten, and its answer comes
 * back in Anthropic's own bytes (see {@link MessagesBody}); every other provider translates such a
 * request, or refuses it when part of it cannot be translated.
 */
public interface MessagesNative {

  /**
   * A Messages body's input tokens as the upstream counts them ({@code /v1/messages/count_tokens}), the
   * body sent as it came with only {@code model} rewritten; null where this deployment has no counting
   * endpoint, so the caller estimates instead.
   */
  @org.jspecify.annotations.Nullable Count countTokens(MessagesBody body, Call call);

  /**
   * The upstream's count.
   *
   * @param inputTokens the number it reported
   * @param body its answer's bytes, passed on as they are
   */
  record Count(long inputTokens, byte[] body) {}
}
