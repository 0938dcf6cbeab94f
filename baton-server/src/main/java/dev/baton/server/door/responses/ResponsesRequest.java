package dev.baton.server.door.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.wire.Json;
import dev.baton.wire.RawObject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A {@code POST /v1/responses} body as the door read it, checked for types: what the gateway itself acts on,
 * the parameters as the caller gave them (echoed in the Response object, translated for the deployments that
 * need it), and the body's own bytes for the deployments that take it as it is. The two large values,
 * {@code input} and {@code tools}, are kept as their bytes and read into trees only when a translation or a
 * stored conversation needs them, so a request passed through natively is read once, without building them.
 */
public final class ResponsesRequest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * Something in the request that translation into chat cannot carry.
   *
   * @param param where it is, such as {@code reasoning} or {@code input[2].type}
   * @param reason why, for the caller
   */
  public record Unsupported(String param, String reason) {}

  private final String model;
  private final boolean stream;
  private final boolean store;
  private final @Nullable String previousResponseId;
  private final @Nullable List<String> fallbacks;
  private final Map<String, JsonNode> params;
  private final List<Unsupported> unsupported;
  private final RawObject body;
  private @Nullable ArrayNode input;
  private @Nullable JsonNode tools;

  /**
   * @param params every other known top-level field, as given (null values left out); {@code input} and
   *     {@code tools} are read from {@code body} when needed
   * @param unsupported the top-level fields that only a deployment speaking the Responses API natively can
   *     take, each with why, in the order they came
   */
  ResponsesRequest(String model, boolean stream, boolean store, @Nullable String previousResponseId,
      @Nullable List<String> fallbacks, Map<String, JsonNode> params, List<Unsupported> unsupported, RawObject body) {
    this.model = model;
    this.stream = stream;
    this.store = store;
    this.previousResponseId = previousResponseId;
    this.fallbacks = fallbacks;
    this.params = params;
    this.unsupported = unsupported;
    this.body = body;
  }

  /** The public model asked for. */
  public String model() {
    return model;
  }

  /** Whether the caller wants the typed event stream. */
  public boolean stream() {
    return stream;
  }

  /** Whether the gateway keeps the response ({@code store}, default true). */
  public boolean store() {
    return store;
  }

  /** The stored response this one continues, or null. */
  public @Nullable String previousResponseId() {
    return previousResponseId;
  }

  /** Baton's per-request fallbacks, or null. */
  public @Nullable List<String> fallbacks() {
    return fallbacks;
  }

  /** The body as it came, for the deployments that speak the Responses API natively. */
  public RawObject body() {
    return body;
  }

  List<Unsupported> unsupported() {
    return unsupported;
  }

  /** A known parameter as given, or null when it was absent or null. */
  public @Nullable JsonNode param(String name) {
    if (name.equals("tools")) {
      if (tools == null) {
        tools = body.value("tools");
      }
      return tools == null || tools.isNull() ? null : tools;
    }
    return params.get(name);
  }

  /** This request's input as items: a string input is one user message. */
  public ArrayNode input() {
    if (input == null) {
      JsonNode value = body.value("input");
      input = value instanceof ArrayNode items ? items : userMessage(value == null ? "" : value.textValue());
    }
    return input;
  }

  /** This request's input as the JSON of its items, copied from the body when it came as items. */
  byte[] inputJson() {
    RawObject.Field field = field("input");
    if (field != null && body.bytes()[field.valueStart()] == '[') {
      return Arrays.copyOfRange(body.bytes(), field.valueStart(), field.end());
    }
    return Json.write(gen -> gen.writeTree(input()));
  }

  /** How long the body is: the size of a request passed through as it is. */
  int size() {
    return body.bytes().length;
  }

  private RawObject.@Nullable Field field(String name) {
    RawObject.Field found = null;
    for (RawObject.Field field : body.fields()) {
      if (field.name().equals(name)) {
        found = field;
      }
    }
    return found;
  }

  private static ArrayNode userMessage(String text) {
    ArrayNode items = NODES.arrayNode(1);
    ObjectNode message = items.addObject();
    message.put("type", "message");
    message.put("role", "user");
    message.put("content", text);
    return items;
  }

  @Override
  public String toString() {
    return "ResponsesRequest[model=" + model + ", stream=" + stream + ", store=" + store + "]";
  }
}
