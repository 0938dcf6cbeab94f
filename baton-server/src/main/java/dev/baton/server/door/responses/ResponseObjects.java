package dev.baton.server.door.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.BatonException;
import dev.baton.ChatResponse;
import dev.baton.FinishReason;
import dev.baton.RateLimitedException;
import dev.baton.ToolCall;
import dev.baton.Usage;
import dev.baton.AllModelsFailedException;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's Response object, as its API reference documents it and the API sends it: every field, in its
 * order, with the request's parameters echoed and OpenAI's defaults where the request set none. Built for
 * answers from deployments that translate; a deployment that speaks the Responses API sends its own.
 */
final class ResponseObjects {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ResponseObjects() {}

  /** A Response that has started: {@code in_progress}, no output, no usage yet. */
  static ObjectNode inProgress(String id, long createdAt, String model, ResponsesRequest request) {
    ObjectNode r = NODES.objectNode();
    r.put("id", id);
    r.put("object", "response");
    r.put("created_at", createdAt);
    r.put("status", "in_progress");
    r.put("background", false);
    r.putNull("completed_at");
    r.putNull("error");
    r.putNull("incomplete_details");
    r.set("instructions", echo(request, "instructions"));
    r.set("max_output_tokens", echo(request, "max_output_tokens"));
    r.set("max_tool_calls", echo(request, "max_tool_calls"));
    r.put("model", model);
    r.putArray("output");
    JsonNode parallel = request.param("parallel_tool_calls");
    r.put("parallel_tool_calls", parallel == null || parallel.booleanValue());
    if (request.previousResponseId() == null) {
      r.putNull("previous_response_id");
    } else {
      r.put("previous_response_id", request.previousResponseId());
    }
    r.set("prompt_cache_key", echo(request, "prompt_cache_key"));
    ObjectNode reasoning = r.putObject("reasoning");
    reasoning.putNull("effort");
    reasoning.putNull("summary");
    r.set("safety_identifier", echo(request, "safety_identifier"));
    r.put("service_tier", "default");
    r.put("store", request.store());
    r.set("temperature", orDefault(request.param("temperature"), NODES.numberNode(1.0)));
    ObjectNode text = r.putObject("text");
    JsonNode format = request.param("text") == null ? null : request.param("text").get("format");
    text.set("format", format == null || format.isNull() ? NODES.objectNode().put("type", "text") : format);
    text.put("verbosity", "medium");
    r.set("tool_choice", orDefault(request.param("tool_choice"), NODES.textNode("auto")));
    r.set("tools", orDefault(request.param("tools"), NODES.arrayNode()));
    r.put("top_logprobs", 0);
    r.set("top_p", orDefault(request.param("top_p"), NODES.numberNode(1.0)));
    r.put("truncation", "disabled");
    r.putNull("usage");
    r.set("user", echo(request, "user"));
    r.set("metadata", orDefault(request.param("metadata"), NODES.objectNode()));
    return r;
  }

  /**
   * The Response once the answer is over: {@code completed}, or {@code incomplete} with why when the answer was
   * cut short, with its output, usage and the model that actually answered.
   */
  static ObjectNode finished(ObjectNode response, ArrayNode output, Usage usage, @Nullable FinishReason finish,
      String model) {
    ObjectNode r = response.deepCopy();
    boolean incomplete = finish == FinishReason.LENGTH || finish == FinishReason.CONTENT_FILTER;
    r.put("status", incomplete ? "incomplete" : "completed");
    r.put("completed_at", System.currentTimeMillis() / 1000);
    if (incomplete) {
      r.putObject("incomplete_details").put("reason",
          finish == FinishReason.LENGTH ? "max_output_tokens" : "content_filter");
    }
    r.put("model", model);
    r.set("output", output);
    r.set("usage", usage(usage));
    return r;
  }

  /** The Response of an answer that broke off and could not be completed: {@code failed}, with the error. */
  static ObjectNode failed(ObjectNode response, ArrayNode output, BatonException error) {
    ObjectNode r = response.deepCopy();
    r.put("status", "failed");
    ObjectNode e = r.putObject("error");
    BatonException cause = error instanceof AllModelsFailedException all && all.lastFailure() != null
        ? all.lastFailure() : error;
    e.put("code", cause instanceof RateLimitedException ? "rate_limit_exceeded" : "server_error");
    e.put("message", error.getMessage());
    r.set("output", output);
    return r;
  }

  /** A whole translated answer's output items: its text as a message, then each function call. */
  static ArrayNode output(ChatResponse answer) {
    ArrayNode output = NODES.arrayNode();
    String status = itemStatus(answer.finishReason());
    if (!answer.text().isEmpty() || answer.toolCalls().isEmpty()) {
      output.add(message(Ids.message(), answer.text(), status));
    }
    for (ToolCall call : answer.toolCalls()) {
      output.add(functionCall(Ids.functionCall(), call.id().isEmpty() ? Ids.call() : call.id(), call.name(),
          call.arguments(), status));
    }
    return output;
  }

  /** What the items of an answer that ended this way are: {@code completed}, or {@code incomplete} when cut short. */
  static String itemStatus(@Nullable FinishReason finish) {
    return finish == FinishReason.LENGTH || finish == FinishReason.CONTENT_FILTER ? "incomplete" : "completed";
  }

  static ObjectNode message(String id, String text, String status) {
    ObjectNode item = NODES.objectNode();
    item.put("id", id);
    item.put("type", "message");
    item.put("status", status);
    ArrayNode content = item.putArray("content");
    if (!status.equals("in_progress")) {
      content.add(textPart(text));
    }
    item.put("role", "assistant");
    return item;
  }

  static ObjectNode textPart(String text) {
    ObjectNode part = NODES.objectNode();
    part.put("type", "output_text");
    part.putArray("annotations");
    part.putArray("logprobs");
    part.put("text", text);
    return part;
  }

  static ObjectNode functionCall(String id, String callId, String name, String arguments, String status) {
    ObjectNode item = NODES.objectNode();
    item.put("id", id);
    item.put("type", "function_call");
    item.put("status", status);
    item.put("arguments", arguments);
    item.put("call_id", callId);
    item.put("name", name);
    return item;
  }

  static ObjectNode usage(Usage usage) {
    ObjectNode u = NODES.objectNode();
    u.put("input_tokens", usage.promptTokens());
    u.putObject("input_tokens_details").put("cached_tokens", usage.cachedTokens());
    u.put("output_tokens", usage.completionTokens());
    u.putObject("output_tokens_details").put("reasoning_tokens", 0);
    u.put("total_tokens", usage.totalTokens());
    return u;
  }

  private static JsonNode echo(ResponsesRequest request, String param) {
    return orDefault(request.param(param), NODES.nullNode());
  }

  private static JsonNode orDefault(@Nullable JsonNode value, JsonNode otherwise) {
    return value == null ? otherwise : value;
  }
}
