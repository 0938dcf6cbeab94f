package dev.baton.server.door.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.baton.wire.RawObject;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A {@code POST /v1/responses} body as the door read it, checked for types: what the gateway itself acts on,
 * the parameters as the caller gave them (echoed in the Response object, translated for the deployments that
 * need it), and the body's own bytes for the deployments that take it as it is.
 *
 * @param model the public model asked for
 * @param stream whether the caller wants the typed event stream
 * @param store whether the gateway keeps the response ({@code store}, default true)
 * @param previousResponseId the stored response this one continues, or null
 * @param fallbacks Baton's per-request fallbacks, or null
 * @param input this request's input as items (a string input is one user message)
 * @param params every other known top-level field, as given (null values left out)
 * @param unsupported the top-level fields that only a deployment speaking the Responses API natively can
 *     take, each with why, in the order they came
 * @param body the body as it came, for those deployments
 */
public record ResponsesRequest(
    String model,
    boolean stream,
    boolean store,
    @Nullable String previousResponseId,
    @Nullable List<String> fallbacks,
    ArrayNode input,
    Map<String, JsonNode> params,
    List<Unsupported> unsupported,
    RawObject body) {

  /**
   * Something in the request that translation into chat cannot carry.
   *
   * @param param where it is, such as {@code reasoning} or {@code input[2].type}
   * @param reason why, for the caller
   */
  public record Unsupported(String param, String reason) {}

  /** A known parameter as given, or null when it was absent or null. */
  public @Nullable JsonNode param(String name) {
    return params.get(name);
  }
}
