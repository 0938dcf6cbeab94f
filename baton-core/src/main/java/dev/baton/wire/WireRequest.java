package dev.baton.wire;

/**
 * A request read from OpenAI's wire format, with what the HTTP front door needs beside it.
 *
 * @param request the request, typed
 * @param stream whether the caller asked for a stream
 */
public record WireRequest<T>(T request, boolean stream) {}
