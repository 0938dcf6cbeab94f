package dev.baton.testkit;

import static dev.baton.testkit.OpenAiFixtures.quote;

import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's Responses API wire format as its API reference documents it and as the API sends it (the
 * fields, their order and values are those of real answers), for scripting a fake upstream that speaks the
 * Responses API natively: whole Response objects, their stream of typed events with {@code sequence_number},
 * and the failure events.
 */
public final class ResponsesFixtures {

  /** The model the fixtures' answers name. */
  public static final String MODEL = "gpt-4o-mini-2024-07-18";
  public static final String RESPONSE_ID = "resp_0f9c4b2f224d858000695fa062bf048197a680f357bbb09000";
  public static final String MESSAGE_ID = "msg_0f9c4b2f224d858000695fa063d4708197af73c2f37cb0b9d3";
  public static final String CALL_ITEM_ID = "fc_0f9c4b2f224d858000695fa06455008197a2bc7e8b8d6f3a41";

  private ResponsesFixtures() {}

  /** The Response object's fields around {@code status}, {@code output} and {@code usage}, as OpenAI sends them. */
  private static String response(String status, String output, String usage) {
    return "{\"id\":\"" + RESPONSE_ID + "\",\"object\":\"response\",\"created_at\":1767874658,\"status\":\"" + status
        + "\",\"background\":false,\"completed_at\":" + (status.equals("in_progress") ? "null" : "1767874660")
        + ",\"error\":null,\"incomplete_details\":null,\"instructions\":null,\"max_output_tokens\":null,"
        + "\"max_tool_calls\":null,\"model\":\"" + MODEL + "\",\"output\":" + output + ",\"parallel_tool_calls\":true,"
        + "\"previous_response_id\":null,\"prompt_cache_key\":null,\"reasoning\":{\"effort\":null,\"summary\":null},"
        + "\"safety_identifier\":null,\"service_tier\":\"default\",\"store\":true,\"temperature\":1.0,"
        + "\"text\":{\"format\":{\"type\":\"text\"},\"verbosity\":\"medium\"},\"tool_choice\":\"auto\",\"tools\":[],"
        + "\"top_logprobs\":0,\"top_p\":1.0,\"truncation\":\"disabled\",\"usage\":" + usage
        + ",\"user\":null,\"metadata\":{}}";
  }

  private static String usage(int input, int output) {
    return "{\"input_tokens\":" + input + ",\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":" + output
        + ",\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":" + (input + output) + "}";
  }

  private static String messageItem(String text, String status) {
    return "{\"id\":\"" + MESSAGE_ID + "\",\"type\":\"message\",\"status\":\"" + status + "\",\"content\":["
        + (status.equals("in_progress") ? "" : textPart(text)) + "],\"role\":\"assistant\"}";
  }

  private static String textPart(String text) {
    return "{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":" + quote(text) + "}";
  }

  private static String callItem(String callId, String name, String arguments, String status) {
    return "{\"id\":\"" + CALL_ITEM_ID + "\",\"type\":\"function_call\",\"status\":\"" + status + "\",\"arguments\":"
        + quote(arguments) + ",\"call_id\":\"" + callId + "\",\"name\":\"" + name + "\"}";
  }

  /** A whole Response answering {@code text}. */
  public static String textResponse(String text) {
    return response("completed", "[" + messageItem(text, "completed") + "]", usage(11, 18));
  }

  /** A whole Response that calls one function. */
  public static String functionCallResponse(String callId, String name, String arguments) {
    return response("completed", "[" + callItem(callId, name, arguments, "completed") + "]", usage(61, 18));
  }

  /** A Response cut short by {@code max_output_tokens}. */
  public static String incompleteResponse(String text) {
    return response("incomplete", "[" + messageItem(text, "incomplete") + "]", usage(11, 16))
        .replace("\"incomplete_details\":null", "\"incomplete_details\":{\"reason\":\"max_output_tokens\"}");
  }

  /** One event as OpenAI frames it: its {@code event:} line, its {@code data:} line, a blank line. */
  public static String event(String type, String fields, int sequence) {
    return "event: " + type + "\ndata: {\"type\":\"" + type + "\"," + fields + ",\"sequence_number\":" + sequence
        + "}\n\n";
  }

  /** The whole stream of a text answer, one {@code response.output_text.delta} per piece. */
  public static List<String> textStream(String... pieces) {
    List<String> events = brokenTextStream(pieces);
    String text = String.join("", pieces);
    int seq = events.size();
    String where = "\"item_id\":\"" + MESSAGE_ID + "\",\"output_index\":0,\"content_index\":0";
    events.add(event("response.output_text.done", where + ",\"logprobs\":[],\"text\":" + quote(text), seq++));
    events.add(event("response.content_part.done", where + ",\"part\":" + textPart(text), seq++));
    events.add(event("response.output_item.done", "\"item\":" + messageItem(text, "completed") + ",\"output_index\":0",
        seq++));
    events.add(event("response.completed", "\"response\":" + textResponse(text), seq));
    return events;
  }

  /**
   * A text stream that breaks off after its last piece: no {@code response.output_text.done}, no
   * {@code response.completed}. Sent whole, it ends without the terminal event; with
   * {@code Reply.cutAfter}, the connection drops mid-answer.
   */
  public static List<String> brokenTextStream(String... pieces) {
    List<String> events = new ArrayList<>();
    int seq = 0;
    String inProgress = response("in_progress", "[]", "null");
    events.add(event("response.created", "\"response\":" + inProgress, seq++));
    events.add(event("response.in_progress", "\"response\":" + inProgress, seq++));
    events.add(event("response.output_item.added", "\"item\":" + messageItem("", "in_progress") + ",\"output_index\":0",
        seq++));
    String where = "\"item_id\":\"" + MESSAGE_ID + "\",\"output_index\":0,\"content_index\":0";
    events.add(event("response.content_part.added", where + ",\"part\":" + textPart(""), seq++));
    for (String piece : pieces) {
      events.add(event("response.output_text.delta", where + ",\"delta\":" + quote(piece) + ",\"logprobs\":[]", seq++));
    }
    return events;
  }

  /** The stream of an answer that calls one function, its arguments in pieces. */
  public static List<String> functionCallStream(String callId, String name, String... argumentPieces) {
    List<String> events = new ArrayList<>();
    int seq = 0;
    String inProgress = response("in_progress", "[]", "null");
    events.add(event("response.created", "\"response\":" + inProgress, seq++));
    events.add(event("response.in_progress", "\"response\":" + inProgress, seq++));
    events.add(event("response.output_item.added", "\"item\":" + callItem(callId, name, "", "in_progress")
        + ",\"output_index\":0", seq++));
    String where = "\"item_id\":\"" + CALL_ITEM_ID + "\",\"output_index\":0";
    for (String piece : argumentPieces) {
      events.add(event("response.function_call_arguments.delta", where + ",\"delta\":" + quote(piece), seq++));
    }
    String arguments = String.join("", argumentPieces);
    events.add(event("response.function_call_arguments.done", where + ",\"name\":\"" + name + "\",\"arguments\":"
        + quote(arguments), seq++));
    events.add(event("response.output_item.done", "\"item\":" + callItem(callId, name, arguments, "completed")
        + ",\"output_index\":0", seq++));
    events.add(event("response.completed", "\"response\":" + functionCallResponse(callId, name, arguments), seq));
    return events;
  }

  /** The event a stream ends with when the model failed: {@code response.failed} with the error. */
  public static String failedEvent(String code, String message, int sequence) {
    String failed = response("failed", "[]", "null")
        .replace("\"error\":null", "\"error\":{\"code\":\"" + code + "\",\"message\":" + quote(message) + "}");
    return event("response.failed", "\"response\":" + failed, sequence);
  }

  /** The {@code error} event a stream may carry instead of its answer. */
  public static String errorEvent(String code, String message, int sequence) {
    return "event: error\ndata: {\"type\":\"error\",\"code\":\"" + code + "\",\"message\":" + quote(message)
        + ",\"param\":null,\"sequence_number\":" + sequence + "}\n\n";
  }
}
