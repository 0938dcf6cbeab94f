/**
 * The gateway: Baton's router behind HTTP front doors ({@link dev.baton.server.Gateway} mounts the doors
 * of {@code door} behind the filters of {@code pipeline}), and the {@code baton} command
 * ({@link dev.baton.server.Main}). Only this module knows HTTP-server things, and only
 * {@link dev.baton.server.Gateway} and {@code HelidonCall} know the web server.
 */
@NullMarked
package dev.baton.server;

import org.jspecify.annotations.NullMarked;
