package dev.baton.server.door;

import dev.baton.server.pipeline.Endpoint;
import io.helidon.http.Method;

/**
 * One method and path of a front door, and the endpoint that answers it.
 *
 * @param path the path pattern, such as {@code /v1/models/{model}}; also the route's name in metrics and logs
 */
public record Route(Method method, String path, Endpoint endpoint) {}
