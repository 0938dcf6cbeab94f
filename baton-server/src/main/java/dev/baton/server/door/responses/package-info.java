/**
 * OpenAI's Responses API front door: {@code POST /v1/responses}, passed through to deployments that speak it
 * natively and translated into the router's request model for every other one, and the stored responses.
 */
@NullMarked
package dev.baton.server.door.responses;

import org.jspecify.annotations.NullMarked;
