/**
 * The request pipeline: the ordered {@link dev.baton.server.pipeline.Filter}s every request goes through
 * before its front door ({@link dev.baton.server.pipeline.Pipeline} holds the order), the
 * {@link dev.baton.server.pipeline.Exchange} they share, and one file per concern — request id, body
 * limit, authentication, access log, metrics, draining. Nothing here knows a protocol or the web server.
 */
@NullMarked
package dev.baton.server.pipeline;

import org.jspecify.annotations.NullMarked;
