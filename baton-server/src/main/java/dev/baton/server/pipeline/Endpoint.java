package dev.baton.server.pipeline;

import java.io.IOException;

/**
 * What a pipeline leads to: one route of a front door (package {@code dev.baton.server.door}). Its work
 * comes in two steps, so the filters between them can see what was asked for: {@link #read} turns the
 * request's bytes into the router's request after the caller is authenticated, and {@link #answer} asks the
 * router and writes the answer after the limits, budgets and cache have let it through.
 */
public interface Endpoint {

  /** How this route's protocol shapes an error; the pipeline uses it for every refusal and failure. */
  ErrorShape errors();

  /**
   * Reads the request: sets the public model asked for, whether a stream is wanted and the router's
   * request on the exchange ({@link Exchange#request(String, boolean, Object)}). Bad input is thrown (an
   * {@link dev.baton.InvalidRequestException}). Routes without a body read nothing.
   */
  default void read(Exchange exchange) throws IOException {}

  /**
   * Answers: asks the router, writes the answer or the whole stream, and records the outcome on the
   * exchange ({@link Exchange#answered}, {@link Exchange#failed}). It returns when the answer is over.
   */
  void answer(Exchange exchange) throws IOException;
}
