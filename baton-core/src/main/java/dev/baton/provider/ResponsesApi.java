package dev.baton.provider;

import dev.baton.ChatResponse;
import dev.baton.wire.RawObject;

/**
 * OpenAI's Responses API ({@code POST /responses}) spoken by a deployment itself: OpenAI's or Azure's,
 * configured with {@code responses_api: native}. A gateway's {@code /v1/responses} request reaches such a
 * deployment as it came, with only {@code model} rewritten, and its answer comes back byte for byte; every
 * other deployment gets the request translated into a {@link dev.baton.ChatRequest}. Kept apart from
 * {@link Provider}'s chat methods, which every provider has: this one only a few do
 * ({@link Provider#responsesApi()}).
 */
public interface ResponsesApi {

  /**
   * One plain attempt.
   *
   * @param body the caller's Responses API JSON; {@code model} is replaced with the deployment's own, Baton's
   *     own fields ({@code fallbacks}) are dropped and {@code stream} is set to false
   * @return the answer, read for the router (text, tool calls, finish reason, usage), with the upstream's
   *     Response object as its {@link ChatResponse#upstreamBody()}
   */
  ChatResponse respond(RawObject body, Call call);

  /**
   * One streamed attempt; returns once the upstream has accepted the request. Each chunk is one of the
   * upstream's events, whole, as its {@link dev.baton.ChatChunk#upstreamBody()} ({@code event:} line,
   * {@code data:} line, blank line), with the text delta, tool-call fragment, finish reason or usage it
   * carries read into its fields. {@code response.failed} and {@code error} events fail the attempt as
   * the error they report; a stream that ends before {@code response.completed} (or
   * {@code response.incomplete}) fails as a broken connection.
   */
  ChunkSource stream(RawObject body, Call call);
}
