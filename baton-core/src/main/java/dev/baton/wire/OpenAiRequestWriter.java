package dev.baton.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.ChatRequest;
import dev.baton.CompletionRequest;
import dev.baton.ContentPart;
import dev.baton.EmbeddingRequest;
import dev.baton.Message;
import dev.baton.ResponseFormat;
import dev.baton.Tool;
import dev.baton.ToolCall;
import dev.baton.ToolChoice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Writes requests in OpenAI's format for OpenAI-compatible upstreams. A request that came in as JSON
 * goes out as that JSON, field for field, with only {@code model} replaced, Baton's own {@code fallbacks}
 * removed and the stream settings made to match the call; a request built in code is written from its
 * fields.
 */
public final class OpenAiRequestWriter {

  /** Fields only the gateway reads; an upstream would reject them as unknown. */
  private static final Set<String> GATEWAY_ONLY = Set.of("fallbacks");

  private OpenAiRequestWriter() {}

  /**
   * @param upstreamModel the provider's model id
   * @param stream whether to ask for a stream
   * @param includeUsage whether a stream must end with usage, whatever the caller asked
   */
  public static byte[] chat(ChatRequest r, String upstreamModel, boolean stream, boolean includeUsage) {
    if (r.source() instanceof RawObject source) {
      return passThrough(source, upstreamModel, stream, includeUsage || r.includeUsage());
    }
    return Json.write(gen -> {
      gen.writeStartObject();
      gen.writeStringField("model", upstreamModel);
      gen.writeArrayFieldStart("messages");
      for (Message m : r.messages()) {
        message(gen, m);
      }
      gen.writeEndArray();
      if (!r.tools().isEmpty()) {
        gen.writeArrayFieldStart("tools");
        for (Tool tool : r.tools()) {
          tool(gen, tool);
        }
        gen.writeEndArray();
      }
      if (r.toolChoice() != null) {
        toolChoice(gen, r.toolChoice());
      }
      bool(gen, "parallel_tool_calls", r.parallelToolCalls());
      if (r.responseFormat() != null) {
        responseFormat(gen, r.responseFormat());
      }
      number(gen, "temperature", r.temperature());
      number(gen, "top_p", r.topP());
      number(gen, "max_tokens", r.maxTokens());
      number(gen, "max_completion_tokens", r.maxCompletionTokens());
      stop(gen, r.stop());
      number(gen, "seed", r.seed());
      string(gen, "user", r.endUser());
      number(gen, "n", r.n());
      number(gen, "presence_penalty", r.presencePenalty());
      number(gen, "frequency_penalty", r.frequencyPenalty());
      streamFields(gen, stream, includeUsage || r.includeUsage());
      extra(gen, r.extra());
      gen.writeEndObject();
    });
  }

  public static byte[] completion(CompletionRequest r, String upstreamModel, boolean stream, boolean includeUsage) {
    if (r.source() instanceof RawObject source) {
      return passThrough(source, upstreamModel, stream, includeUsage || r.includeUsage());
    }
    return Json.write(gen -> {
      gen.writeStartObject();
      gen.writeStringField("model", upstreamModel);
      if (r.prompts().size() == 1) {
        gen.writeStringField("prompt", r.prompts().get(0));
      } else {
        gen.writeArrayFieldStart("prompt");
        for (String p : r.prompts()) {
          gen.writeString(p);
        }
        gen.writeEndArray();
      }
      number(gen, "max_tokens", r.maxTokens());
      number(gen, "temperature", r.temperature());
      number(gen, "top_p", r.topP());
      stop(gen, r.stop());
      number(gen, "seed", r.seed());
      string(gen, "suffix", r.suffix());
      streamFields(gen, stream, includeUsage || r.includeUsage());
      extra(gen, r.extra());
      gen.writeEndObject();
    });
  }

  /** An embeddings request; asks for base64, which is a quarter of the size of decimal floats. */
  public static byte[] embedding(EmbeddingRequest r, String upstreamModel) {
    if (r.source() instanceof RawObject source) {
      return passThrough(source, upstreamModel, false, false);
    }
    return Json.write(gen -> {
      gen.writeStartObject();
      gen.writeStringField("model", upstreamModel);
      gen.writeArrayFieldStart("input");
      for (String input : r.inputs()) {
        gen.writeString(input);
      }
      gen.writeEndArray();
      gen.writeStringField("encoding_format", "base64");
      number(gen, "dimensions", r.dimensions());
      string(gen, "user", r.endUser());
      extra(gen, r.extra());
      gen.writeEndObject();
    });
  }

  /**
   * The caller's own bytes, field for field, with {@code model} replaced, Baton's own fields dropped and
   * the stream fields set to match the call. Copying the fields' bytes costs a small fraction of writing
   * the object again, and nothing the caller sent is reformatted.
   */
  private static byte[] passThrough(RawObject source, String upstreamModel, boolean stream, boolean includeUsage) {
    byte[] in = source.bytes();
    byte[] model = Bytes.quote(upstreamModel);
    byte[] options = null;
    if (stream) {
      ObjectNode fields = source.value("stream_options") instanceof ObjectNode callers
          ? callers.deepCopy()
          : Json.MAPPER.createObjectNode();
      fields.remove("include_usage"); // Baton decides it: asked for by the caller, or for its metrics
      if (includeUsage) {
        fields.put("include_usage", true);
      }
      if (!fields.isEmpty()) {
        options = fields.toString().getBytes(StandardCharsets.UTF_8);
      }
    }
    // The exact size first, so the bytes are written once into an array of that size and not copied again.
    int members = 1; // model
    int size = 2 + MODEL.length + model.length;
    for (RawObject.Field field : source.fields()) {
      if (kept(field)) {
        members++;
        size += field.end() - field.start();
      }
    }
    if (stream) {
      members++;
      size += STREAM_TRUE.length;
      if (options != null) {
        members++;
        size += STREAM_OPTIONS.length + options.length;
      }
    }
    Bytes out = new Bytes(size + members - 1);
    out.add('{');
    boolean wroteModel = false;
    for (RawObject.Field field : source.fields()) {
      if (field.name().equals("model")) {
        out.separator().add(MODEL).add(model);
        wroteModel = true;
      } else if (kept(field)) {
        out.separator().add(in, field.start(), field.end());
      }
    }
    if (!wroteModel) {
      out.separator().add(MODEL).add(model);
    }
    if (stream) {
      out.separator().add(STREAM_TRUE);
      if (options != null) {
        out.separator().add(STREAM_OPTIONS).add(options);
      }
    }
    out.add('}');
    return out.toByteArray();
  }

  /**
   * A Responses API body for a deployment that speaks it natively ({@code responses_api: native}): the
   * caller's fields' bytes with {@code model} replaced, Baton's own fields dropped and {@code stream} set
   * to match the call; {@code stream_options} is kept for a stream only, as OpenAI takes it only then.
   */
  public static byte[] responses(RawObject source, String upstreamModel, boolean stream) {
    byte[] in = source.bytes();
    byte[] model = Bytes.quote(upstreamModel);
    Bytes out = new Bytes(in.length + model.length + STREAM_FALSE.length + 2);
    out.add('{');
    out.separator().add(MODEL).add(model);
    for (RawObject.Field field : source.fields()) {
      boolean keep = switch (field.name()) {
        case "model", "stream" -> false;
        case "stream_options" -> stream;
        default -> !GATEWAY_ONLY.contains(field.name());
      };
      if (keep) {
        out.separator().add(in, field.start(), field.end());
      }
    }
    out.separator().add(stream ? STREAM_TRUE : STREAM_FALSE);
    out.add('}');
    return out.toByteArray();
  }

  private static final byte[] STREAM_FALSE = "\"stream\":false".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MODEL = "\"model\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STREAM_TRUE = "\"stream\":true".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STREAM_OPTIONS = "\"stream_options\":".getBytes(StandardCharsets.US_ASCII);

  /**
   * Whether a field of the caller's goes upstream as the caller wrote it: not {@code model} (replaced), not
   * the stream fields (written to match the call), not Baton's own.
   */
  private static boolean kept(RawObject.Field field) {
    return switch (field.name()) {
      case "model", "stream", "stream_options" -> false;
      default -> !GATEWAY_ONLY.contains(field.name());
    };
  }

  /** A growable byte buffer that writes JSON object members. */
  private static final class Bytes {
    private byte[] bytes;
    private int size;
    private boolean members;

    Bytes(int capacity) {
      bytes = new byte[capacity];
    }

    Bytes add(int b) {
      ensure(1);
      bytes[size++] = (byte) b;
      return this;
    }

    Bytes add(byte[] from) {
      return add(from, 0, from.length);
    }

    Bytes add(byte[] from, int start, int end) {
      ensure(end - start);
      System.arraycopy(from, start, bytes, size, end - start);
      size += end - start;
      return this;
    }

    /** A comma before every member but the first. */
    Bytes separator() {
      if (members) {
        add(',');
      }
      members = true;
      return this;
    }

    /** A JSON string literal's UTF-8 bytes. */
    static byte[] quote(String text) {
      return Json.quote(text);
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }

    byte[] toByteArray() {
      return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }
  }

  private static void streamFields(JsonGenerator gen, boolean stream, boolean includeUsage) throws IOException {
    if (stream) {
      gen.writeBooleanField("stream", true);
      if (includeUsage) {
        gen.writeObjectFieldStart("stream_options");
        gen.writeBooleanField("include_usage", true);
        gen.writeEndObject();
      }
    }
  }

  static void message(JsonGenerator gen, Message m) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("role", m.role().wire());
    if (m.content() != null) {
      gen.writeStringField("content", m.content());
    } else if (!m.parts().isEmpty()) {
      gen.writeArrayFieldStart("content");
      for (ContentPart part : m.parts()) {
        part(gen, part);
      }
      gen.writeEndArray();
    } else {
      gen.writeNullField("content");
    }
    string(gen, "name", m.name());
    if (!m.toolCalls().isEmpty()) {
      toolCalls(gen, m.toolCalls());
    }
    string(gen, "tool_call_id", m.toolCallId());
    extra(gen, m.extra());
    gen.writeEndObject();
  }

  /** A {@code tool_calls} field in OpenAI's shape, which Cohere's v2 API shares. */
  public static void toolCalls(JsonGenerator gen, List<ToolCall> calls) throws IOException {
    gen.writeArrayFieldStart("tool_calls");
    for (ToolCall call : calls) {
      gen.writeStartObject();
      gen.writeStringField("id", call.id());
      gen.writeStringField("type", "function");
      gen.writeObjectFieldStart("function");
      gen.writeStringField("name", call.name());
      gen.writeStringField("arguments", call.arguments());
      gen.writeEndObject();
      gen.writeEndObject();
    }
    gen.writeEndArray();
  }

  private static void part(JsonGenerator gen, ContentPart part) throws IOException {
    switch (part) {
      case ContentPart.Text t -> {
        gen.writeStartObject();
        gen.writeStringField("type", "text");
        gen.writeStringField("text", t.text());
        gen.writeEndObject();
      }
      case ContentPart.Image image -> {
        gen.writeStartObject();
        gen.writeStringField("type", "image_url");
        gen.writeObjectFieldStart("image_url");
        gen.writeStringField("url", image.url());
        string(gen, "detail", image.detail());
        gen.writeEndObject();
        gen.writeEndObject();
      }
      case ContentPart.Other other -> {
        gen.writeStartObject();
        if (!other.fields().containsKey("type")) {
          gen.writeStringField("type", other.type());
        }
        extra(gen, other.fields());
        gen.writeEndObject();
      }
    }
  }

  private static void tool(JsonGenerator gen, Tool tool) throws IOException {
    functionTool(gen, tool, true);
  }

  /**
   * A function tool in OpenAI's shape, which Cohere's v2 and Ollama's APIs share; {@code withStrict} is
   * false for those that know no per-tool {@code strict}.
   */
  public static void functionTool(JsonGenerator gen, Tool tool, boolean withStrict) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("type", "function");
    gen.writeObjectFieldStart("function");
    gen.writeStringField("name", tool.name());
    string(gen, "description", tool.description());
    gen.writeFieldName("parameters");
    Json.writeJsonText(gen, "tools.function.parameters", tool.parameters());
    if (withStrict) {
      bool(gen, "strict", tool.strict());
    }
    gen.writeEndObject();
    gen.writeEndObject();
  }

  private static void toolChoice(JsonGenerator gen, ToolChoice choice) throws IOException {
    if (choice.function() == null) {
      gen.writeStringField("tool_choice", choice.mode());
      return;
    }
    gen.writeObjectFieldStart("tool_choice");
    gen.writeStringField("type", "function");
    gen.writeObjectFieldStart("function");
    gen.writeStringField("name", choice.function());
    gen.writeEndObject();
    gen.writeEndObject();
  }

  private static void responseFormat(JsonGenerator gen, ResponseFormat format) throws IOException {
    gen.writeObjectFieldStart("response_format");
    gen.writeStringField("type", format.type());
    if (format.type().equals("json_schema")) {
      gen.writeObjectFieldStart("json_schema");
      gen.writeStringField("name", format.name() == null ? "response" : format.name());
      if (format.schema() != null) {
        gen.writeFieldName("schema");
        Json.writeJsonText(gen, "response_format.json_schema.schema", format.schema());
      }
      bool(gen, "strict", format.strict());
      gen.writeEndObject();
    }
    gen.writeEndObject();
  }

  private static void stop(JsonGenerator gen, List<String> stop) throws IOException {
    if (stop.isEmpty()) {
      return;
    }
    gen.writeArrayFieldStart("stop");
    for (String s : stop) {
      gen.writeString(s);
    }
    gen.writeEndArray();
  }

  static void extra(JsonGenerator gen, Map<String, Object> extra) throws IOException {
    for (Map.Entry<String, Object> field : extra.entrySet()) {
      if (!GATEWAY_ONLY.contains(field.getKey())) {
        gen.writeFieldName(field.getKey());
        Json.writeValue(gen, field.getValue());
      }
    }
  }

  static void string(JsonGenerator gen, String name, @Nullable String value) throws IOException {
    if (value != null) {
      gen.writeStringField(name, value);
    }
  }

  static void bool(JsonGenerator gen, String name, @Nullable Boolean value) throws IOException {
    if (value != null) {
      gen.writeBooleanField(name, value);
    }
  }

  static void number(JsonGenerator gen, String name, @Nullable Number value) throws IOException {
    if (value == null) {
      return;
    }
    gen.writeFieldName(name);
    if (value instanceof Double d) {
      gen.writeNumber(d);
    } else if (value instanceof Long l) {
      gen.writeNumber(l);
    } else {
      gen.writeNumber(value.intValue());
    }
  }
}
