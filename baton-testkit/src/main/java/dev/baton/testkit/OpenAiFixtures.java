package dev.baton.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's wire format as the API documents it, for scripting a fake upstream: whole answers, stream
 * chunks, the usage chunk, {@code [DONE]}, and error bodies.
 */
public final class OpenAiFixtures {

  private OpenAiFixtures() {}

  /** A chat completion answering {@code text}. */
  public static String chatCompletion(String model, String text) {
    return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"" + model
        + "\",\"system_fingerprint\":\"fp_fake\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":" + quote(text) + ",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,\"total_tokens\":18,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0}}}";
  }

  /** A chat completion that calls one function instead of answering. */
  public static String toolCallCompletion(String model, String callId, String name, String arguments) {
    return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"" + model
        + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\""
        + callId + "\",\"type\":\"function\",\"function\":{\"name\":\"" + name + "\",\"arguments\":" + quote(arguments)
        + "}}],\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}],"
        + "\"usage\":{\"prompt_tokens\":82,\"completion_tokens\":17,\"total_tokens\":99}}";
  }

  /** A chunk of a chat stream carrying {@code text}. */
  public static String chunk(String model, String text) {
    return "data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\""
        + model + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":" + quote(text)
        + "},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
  }

  /** The first chunk of a chat stream, announcing the role. */
  public static String roleChunk(String model) {
    return "data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\""
        + model + "\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
        + "\"logprobs\":null,\"finish_reason\":null}]}\n\n";
  }

  /** The chunk that ends a choice. */
  public static String finishChunk(String model, String reason) {
    return "data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\""
        + model + "\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"" + reason
        + "\"}]}\n\n";
  }

  /** The extra chunk {@code stream_options.include_usage} asks for: no choices, the usage. */
  public static String usageChunk(String model, int prompt, int completion) {
    return "data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\""
        + model + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
        + ",\"total_tokens\":" + (prompt + completion) + "}}\n\n";
  }

  public static final String DONE = "data: [DONE]\n\n";

  /**
   * A whole stream: the role chunk, one chunk per piece, the finish chunk, the usage chunk and
   * {@code [DONE]}.
   */
  public static List<String> stream(String model, String... pieces) {
    List<String> events = new ArrayList<>();
    events.add(roleChunk(model));
    for (String piece : pieces) {
      events.add(chunk(model, piece));
    }
    events.add(finishChunk(model, "stop"));
    events.add(usageChunk(model, 11, pieces.length));
    events.add(DONE);
    return events;
  }

  /** The stream of {@code n} numbered tokens ("t0 ", "t1 ", ...), for counting what arrived. */
  public static List<String> numberedStream(String model, int n) {
    return stream(model, numberedPieces(0, n));
  }

  /** The numbered tokens {@code from} (inclusive) to {@code to} (exclusive): {@code "t3 ", "t4 ", ...}. */
  public static String[] numberedPieces(int from, int to) {
    String[] pieces = new String[to - from];
    for (int i = from; i < to; i++) {
      pieces[i - from] = "t" + i + " ";
    }
    return pieces;
  }

  /** The text of the numbered tokens {@code from} (inclusive) to {@code to} (exclusive): {@code "t3 t4 ... "}. */
  public static String numberedText(int from, int to) {
    return String.join("", numberedPieces(from, to));
  }

  /** OpenAI's error body. */
  public static String error(String message, String type, String code) {
    return "{\"error\":{\"message\":" + quote(message) + ",\"type\":" + (type == null ? "null" : quote(type))
        + ",\"param\":null,\"code\":" + (code == null ? "null" : quote(code)) + "}}";
  }

  /** An embeddings answer with float vectors. */
  public static String embeddings(String model, float[]... vectors) {
    StringBuilder json = new StringBuilder("{\"object\":\"list\",\"data\":[");
    for (int i = 0; i < vectors.length; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":")
          .append(floats(vectors[i])).append('}');
    }
    return json.append("],\"model\":\"").append(model)
        .append("\",\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}").toString();
  }

  /** A JSON array of numbers, such as {@code [0.5,-0.25]}. */
  public static String floats(float[] vector) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < vector.length; i++) {
      json.append(i == 0 ? "" : ",").append(vector[i]);
    }
    return json.append(']').toString();
  }

  /** A JSON string literal. */
  public static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
