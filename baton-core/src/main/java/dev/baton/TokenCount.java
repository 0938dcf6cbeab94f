package dev.baton;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How many input tokens a request holds, as the model that would answer it counts them.
 *
 * <p>A deployment that counts natively (Anthropic's {@code count_tokens}) gives its own figure; any other
 * gives Baton's estimate — the same one the router's pre-call context-window check and {@code tpm}
 * limits use: about four characters a token, a few tokens per message, 85 per image.
 *
 * @param inputTokens the count
 * @param estimated whether it is Baton's estimate rather than the upstream's count
 * @param upstreamBody the upstream's own answer when it counted, passed on as it is; else null
 * @param model the public name of the model that counted
 * @param attempts every attempt, in order
 */
public record TokenCount(
    long inputTokens, boolean estimated, byte @Nullable [] upstreamBody, String model, List<Attempt> attempts) {

  public TokenCount {
    attempts = List.copyOf(attempts);
  }

  /** This count as given under a public model name, with the attempts that led to it. */
  public TokenCount routed(String publicModel, List<Attempt> trail) {
    return new TokenCount(inputTokens, estimated, upstreamBody, publicModel, trail);
  }
}
