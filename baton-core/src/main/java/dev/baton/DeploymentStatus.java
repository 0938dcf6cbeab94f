package dev.baton;

import dev.baton.BatonEvent.CircuitState;

/**
 * One deployment as it stands now, for health checks and dashboards ({@link Baton#deployments()}).
 *
 * @param model the public model name it serves
 * @param deployment its id: the model name, or {@code name#n} within a group of several
 * @param provider its provider, such as {@code openai}
 * @param upstreamModel the provider's own model id
 * @param circuit its circuit breaker's state; an {@link CircuitState#OPEN} circuit whose cooldown has
 *     ended stays reported as open until the next request probes it
 * @param available whether a request may be sent to it now: its circuit lets requests (or a probe)
 *     through and no {@code Retry-After} from a rate limit is pending
 * @param inFlight requests being answered by it now
 */
public record DeploymentStatus(
    String model,
    String deployment,
    String provider,
    String upstreamModel,
    CircuitState circuit,
    boolean available,
    int inFlight) {}
