package dev.baton.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.ChatChunk;
import dev.baton.ChatResponse;
import dev.baton.Choice;
import dev.baton.CompletionResponse;
import dev.baton.EmbeddingResponse;
import dev.baton.FinishReason;
import dev.baton.Message;
import dev.baton.Role;
import dev.baton.ToolCall;
import dev.baton.ToolCallDelta;
import dev.baton.Usage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads answers in OpenAI's format in one pass over their bytes with Jackson's streaming parser, building
 * no tree: every answer and stream chunk from an OpenAI-compatible upstream goes through here, so it is read
 * once, fields wherever they appear, everything unknown skipped unread. Values come out as {@link Json}'s tree helpers read them
 * (a field of the wrong type reads as missing, a number converts as a number node converts it), so this
 * reader and the tree-reading providers agree.
 *
 * <p>A body is read to its end before anything is decided, so that one that is not JSON is always a
 * {@link NotJsonException}, whatever its start looked like. Then one that is OpenAI's error object rather
 * than an answer is an {@link ErrorReportException}; any other wrong shape is a plain {@link IOException},
 * which a provider reports as an unreadable answer.
 */
public final class OpenAiResponseReader {

  private OpenAiResponseReader() {}

  /** When a top-level {@code error} field makes a body an error report rather than an answer. */
  public enum ErrorField {
    /** Only with no answer beside it, neither {@code choices} nor {@code data}: how answers are read. */
    REPORTS_AN_ERROR_WITHOUT_AN_ANSWER,
    /**
     * Whenever it is there: for a whole JSON body where a stream was asked for, which servers that ignore
     * {@code stream} send as an answer but others send to report an error.
     */
    ALWAYS_REPORTS_AN_ERROR
  }

  /**
   * The body is OpenAI's error object, sent with a success status, instead of an answer; a provider
   * classifies it as the error it reports. An {@link IOException} like every other body that is not an
   * answer, for callers that need not tell them apart.
   */
  public static final class ErrorReportException extends IOException {
    ErrorReportException() {
      super("the body reports an error instead of an answer");
    }
  }

  /** Reads a chat answer; its bytes are kept, so it can be passed on unchanged. */
  public static ChatResponse chat(byte[] body, String requestedModel) throws IOException {
    return chat(body, requestedModel, ErrorField.REPORTS_AN_ERROR_WITHOUT_AN_ANSWER);
  }

  /** Reads a chat answer, with {@code errorField} deciding when a top-level {@code error} field makes it none. */
  public static ChatResponse chat(byte[] body, String requestedModel, ErrorField errorField) throws IOException {
    ChatAnswer answer = read(body, new ChatAnswer());
    answer.checkNotAnErrorReport(errorField);
    if (answer.wrongShape != null) {
      throw new IOException(answer.wrongShape);
    }
    if (answer.choices == null) {
      throw new IOException("the answer has no 'choices' array");
    }
    return new ChatResponse(answer.id(), answer.created, answer.model(requestedModel), answer.choices,
        answer.usageOrNone(), body);
  }

  /** Reads a legacy text-completion answer; its bytes are kept, so it can be passed on unchanged. */
  public static CompletionResponse completion(byte[] body, String requestedModel) throws IOException {
    CompletionAnswer answer = read(body, new CompletionAnswer());
    answer.checkNotAnErrorReport(ErrorField.REPORTS_AN_ERROR_WITHOUT_AN_ANSWER);
    if (answer.choices == null) {
      throw new IOException("the answer has no 'choices' array");
    }
    return new CompletionResponse(answer.id(), answer.created, answer.model(requestedModel), answer.choices,
        answer.usageOrNone(), body);
  }

  /** Reads embeddings given as float arrays or as base64 little-endian float32, in input order. */
  public static EmbeddingResponse embedding(byte[] body, String requestedModel) throws IOException {
    EmbeddingAnswer answer = read(body, new EmbeddingAnswer());
    answer.checkNotAnErrorReport(ErrorField.REPORTS_AN_ERROR_WITHOUT_AN_ANSWER);
    if (answer.items == null) {
      throw new IOException("the answer has no 'data' array");
    }
    float[][] vectors = new float[answer.items.size()][];
    // In the order the items came, each item's index checked before its vector.
    for (EmbeddingItem item : answer.items) {
      if (item.index < 0 || item.index >= vectors.length || vectors[item.index] != null) {
        throw new IOException("an embedding has a missing or repeated 'index'");
      }
      if (item.vector == null) {
        throw new IOException(item.fault);
      }
      vectors[item.index] = item.vector;
    }
    return new EmbeddingResponse(answer.model(requestedModel), List.of(vectors), answer.usageOrNone(), body);
  }

  /**
   * Reads one chunk of a chat stream; the legacy completion stream's {@code text} counts as content. An event
   * holding an {@code error} and no {@code choices} is an {@link ErrorReportException}.
   */
  public static ChatChunk chunk(byte[] data, String requestedModel) throws IOException {
    ChunkAnswer chunk = read(data, new ChunkAnswer());
    if (!chunk.isObject) {
      throw new IOException("a stream chunk is not a JSON object");
    }
    if (chunk.hasError && !chunk.hasChoices) {
      throw new ErrorReportException();
    }
    return new ChatChunk(chunk.id(), chunk.created, chunk.model(requestedModel), chunk.index, chunk.role,
        chunk.content(), chunk.toolCalls, chunk.finishReason, chunk.usage, data);
  }

  /** Reads OpenAI's usage object from a tree, with the cache fields some compatible servers add. */
  public static Usage usage(@Nullable JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return Usage.NONE;
    }
    return new Usage(
        Json.integer(usage, "prompt_tokens"),
        Json.integer(usage, "completion_tokens"),
        Json.integer(usage.path("prompt_tokens_details"), "cached_tokens"),
        Json.integer(usage, "cache_creation_input_tokens"));
  }

  /**
   * Reads {@code body}, which must be one JSON value and nothing after it, into {@code answer}: each field of
   * a top-level object as it comes; any other value is skipped, leaving the answer empty.
   */
  private static <A extends TopLevel> A read(byte[] body, A answer) throws IOException {
    try (JsonParser parser = Json.MAPPER.createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new NotJsonException("the body is empty");
      }
      if (first == JsonToken.START_OBJECT) {
        answer.isObject = true;
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
          parser.nextToken();
          answer.field(name, parser);
        }
      } else {
        parser.skipChildren();
      }
      // Json.MAPPER refuses trailing tokens when it reads a tree; a bare parser has to be asked.
      JsonToken trailing = parser.nextToken();
      if (trailing != null) {
        throw new NotJsonException("something follows the JSON value: " + trailing);
      }
      return answer;
    } catch (JsonProcessingException e) {
      throw new NotJsonException(e);
    }
  }

  /**
   * The top-level fields every kind of answer has, read as they come; each kind adds the field that holds
   * its answer. As in a tree, a field given twice counts as given last.
   */
  private abstract static class TopLevel {
    boolean isObject;
    boolean hasError;
    boolean hasChoices;
    boolean hasData;
    @Nullable String id;
    long created;
    @Nullable String model;
    /** Null when missing or JSON null; {@link Usage#NONE} when not an object. */
    @Nullable Usage usage;

    /** Reads one top-level field's value, the parser on its first token, and leaves it on its last. */
    final void field(String name, JsonParser parser) throws IOException {
      switch (name) {
        case "id" -> id = text(parser);
        case "created" -> created = longValue(parser);
        case "model" -> model = text(parser);
        case "usage" -> usage = parser.currentToken() == JsonToken.VALUE_NULL ? null : usage(parser);
        case "choices" -> {
          hasChoices = true;
          choices(parser);
        }
        case "data" -> {
          hasData = true;
          data(parser);
        }
        case "error" -> {
          hasError = true;
          parser.skipChildren();
        }
        default -> parser.skipChildren();
      }
    }

    /** Reads the value of {@code choices}; skipped by the kinds of answer that have none. */
    void choices(JsonParser parser) throws IOException {
      parser.skipChildren();
    }

    /** Reads the value of {@code data}; skipped by the kinds of answer that have none. */
    void data(JsonParser parser) throws IOException {
      parser.skipChildren();
    }

    final void checkNotAnErrorReport(ErrorField errorField) throws ErrorReportException {
      boolean report = switch (errorField) {
        case REPORTS_AN_ERROR_WITHOUT_AN_ANSWER -> hasError && !hasChoices && !hasData;
        case ALWAYS_REPORTS_AN_ERROR -> hasError;
      };
      if (report) {
        throw new ErrorReportException();
      }
    }

    final String id() {
      return id == null ? "" : id;
    }

    final String model(String requestedModel) {
      return model == null || model.isEmpty() ? requestedModel : model;
    }

    final Usage usageOrNone() {
      return usage == null ? Usage.NONE : usage;
    }
  }

  private static final class ChatAnswer extends TopLevel {
    /** Null when {@code choices} is missing, not an array, or holds a choice of the wrong shape. */
    @Nullable List<Choice> choices;
    @Nullable String wrongShape;

    @Override
    void choices(JsonParser parser) throws IOException {
      choices = null;
      wrongShape = null;
      if (parser.currentToken() != JsonToken.START_ARRAY) {
        parser.skipChildren();
        return;
      }
      List<Choice> read = new ArrayList<>(1); // nearly every answer has one choice
      while (nextElement(parser)) {
        if (wrongShape != null) {
          parser.skipChildren(); // these choices are of the wrong shape; only whether the body is JSON still matters
          continue;
        }
        Choice choice = chatChoice(parser);
        if (choice == null) {
          wrongShape = "a choice has no 'message' object";
        } else {
          read.add(choice);
        }
      }
      if (wrongShape == null) {
        choices = read;
      }
    }
  }

  /** One choice of a chat answer, or null when it has no message object. */
  private static @Nullable Choice chatChoice(JsonParser parser) throws IOException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      return skipped(parser);
    }
    int index = 0;
    Message message = null;
    FinishReason finishReason = null;
    for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
      parser.nextToken();
      switch (name) {
        case "index" -> index = integer(parser);
        case "message" -> message = assistant(parser);
        case "finish_reason" -> finishReason = finishReason(parser);
        default -> parser.skipChildren();
      }
    }
    return message == null ? null : new Choice(index, message, finishReason);
  }

  /** The assistant's message, or null when the value is not an object. */
  private static @Nullable Message assistant(JsonParser parser) throws IOException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      return skipped(parser);
    }
    String content = null;
    List<ToolCall> toolCalls = List.of();
    String refusal = null;
    for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
      parser.nextToken();
      switch (name) {
        case "content" -> content = content(parser);
        case "tool_calls" -> toolCalls = toolCalls(parser);
        case "refusal" -> refusal = text(parser);
        default -> parser.skipChildren();
      }
    }
    Map<String, Object> extra = refusal == null ? Map.of() : Map.of("refusal", refusal);
    return new Message(Role.ASSISTANT, content, List.of(), null, toolCalls, null, extra);
  }

  /** A message's text: a string, or the texts of an array of parts joined; null for anything else. */
  private static @Nullable String content(JsonParser parser) throws IOException {
    return switch (parser.currentToken()) {
      case VALUE_STRING -> parser.getText();
      case START_ARRAY -> {
        StringBuilder text = new StringBuilder();
        while (nextElement(parser)) {
          text.append(partText(parser));
        }
        yield text.toString();
      }
      default -> skipped(parser);
    };
  }

  /** The text of one content part; "" for a part without text, such as an image. */
  private static String partText(JsonParser parser) throws IOException {
    String text = "";
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return text;
    }
    for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
      parser.nextToken();
      if (name.equals("text")) {
        text = asText(parser);
      } else {
        parser.skipChildren();
      }
    }
    return text;
  }

  private static List<ToolCall> toolCalls(JsonParser parser) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      parser.skipChildren();
      return List.of();
    }
    List<ToolCall> calls = new ArrayList<>();
    while (nextElement(parser)) {
      calls.add(toolCall(parser));
    }
    return calls;
  }

  /** A tool call; a part missing or of the wrong type reads as empty, missing arguments as "{}". */
  private static ToolCall toolCall(JsonParser parser) throws IOException {
    String id = "";
    String name = "";
    String arguments = "{}";
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return new ToolCall(id, name, arguments);
    }
    for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
      parser.nextToken();
      switch (field) {
        case "id" -> id = asText(parser);
        case "function" -> {
          name = "";
          arguments = "{}";
          if (parser.currentToken() == JsonToken.START_OBJECT) {
            for (String part = parser.nextFieldName(); part != null; part = parser.nextFieldName()) {
              parser.nextToken();
              switch (part) {
                case "name" -> name = asText(parser);
                case "arguments" -> arguments = arguments(parser);
                default -> parser.skipChildren();
              }
            }
          } else {
            parser.skipChildren();
          }
        }
        default -> parser.skipChildren();
      }
    }
    return new ToolCall(id, name, arguments);
  }

  /**
   * A function's arguments as JSON text: a string as it is; null as "{}"; anything else (an object, from some
   * servers) as its compact JSON. That case is rare, so it goes through a tree, for exactly a tree's text.
   */
  private static String arguments(JsonParser parser) throws IOException {
    return switch (parser.currentToken()) {
      case VALUE_STRING -> parser.getText();
      case VALUE_NULL -> "{}";
      default -> tree(parser).toString();
    };
  }

  private static final class CompletionAnswer extends TopLevel {
    /** Null when {@code choices} is missing or not an array. */
    @Nullable List<CompletionResponse.Choice> choices;

    @Override
    void choices(JsonParser parser) throws IOException {
      choices = null;
      if (parser.currentToken() != JsonToken.START_ARRAY) {
        parser.skipChildren();
        return;
      }
      List<CompletionResponse.Choice> read = new ArrayList<>(1);
      while (nextElement(parser)) {
        read.add(completionChoice(parser));
      }
      choices = read;
    }
  }

  /** One completion; one that is not an object reads as empty. */
  private static CompletionResponse.Choice completionChoice(JsonParser parser) throws IOException {
    int index = 0;
    String text = "";
    FinishReason finishReason = null;
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return new CompletionResponse.Choice(index, text, finishReason);
    }
    for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
      parser.nextToken();
      switch (name) {
        case "index" -> index = integer(parser);
        case "text" -> text = asText(parser);
        case "finish_reason" -> finishReason = finishReason(parser);
        default -> parser.skipChildren();
      }
    }
    return new CompletionResponse.Choice(index, text, finishReason);
  }

  /**
   * One item of an embedding answer as it came: its index (-1 when missing), and its vector or what is wrong
   * with it. Faults are reported only after the whole body is known to be JSON and not an error report, and
   * then in the order the items came, so they are kept rather than thrown.
   */
  private static final class EmbeddingItem {
    int index = -1;
    float @Nullable [] vector;
    String fault = NOT_A_VECTOR;
  }

  private static final String NOT_A_VECTOR = "an embedding is neither an array of numbers nor base64";

  private static final class EmbeddingAnswer extends TopLevel {
    /** Null when {@code data} is missing or not an array. */
    @Nullable List<EmbeddingItem> items;
    /** The numbers of the vector being read, reused from one vector to the next. */
    private float[] numbers = new float[0];

    @Override
    void data(JsonParser parser) throws IOException {
      items = null;
      if (parser.currentToken() != JsonToken.START_ARRAY) {
        parser.skipChildren();
        return;
      }
      List<EmbeddingItem> read = new ArrayList<>();
      while (nextElement(parser)) {
        read.add(item(parser));
      }
      items = read;
    }

    private EmbeddingItem item(JsonParser parser) throws IOException {
      EmbeddingItem item = new EmbeddingItem();
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        parser.skipChildren();
        return item;
      }
      for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
        parser.nextToken();
        switch (name) {
          case "index" -> item.index = integer(parser);
          case "embedding" -> vector(parser, item);
          default -> parser.skipChildren();
        }
      }
      return item;
    }

    /** Reads an embedding into {@code item}: its vector, or what is wrong with it. */
    private void vector(JsonParser parser, EmbeddingItem item) throws IOException {
      item.vector = null;
      switch (parser.currentToken()) {
        case VALUE_STRING -> {
          byte[] bytes;
          try {
            bytes = Base64.getDecoder().decode(parser.getText());
          } catch (IllegalArgumentException e) {
            item.fault = "an embedding is not valid base64";
            return;
          }
          if (bytes.length % 4 != 0) {
            item.fault = "a base64 embedding is not a whole number of float32 values";
            return;
          }
          float[] vector = new float[bytes.length / 4];
          ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
          item.vector = vector;
        }
        case START_ARRAY -> {
          int count = 0;
          boolean allNumbers = true;
          while (nextElement(parser)) {
            JsonToken token = parser.currentToken();
            if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
              allNumbers = false;
              parser.skipChildren();
            } else if (allNumbers) {
              if (count == numbers.length) {
                numbers = Arrays.copyOf(numbers, Math.max(256, count * 2));
              }
              numbers[count++] = floatValue(parser);
            }
          }
          if (allNumbers) {
            item.vector = Arrays.copyOf(numbers, count);
          } else {
            item.fault = "an embedding holds a value that is not a number";
          }
        }
        default -> {
          parser.skipChildren();
          item.fault = NOT_A_VECTOR;
        }
      }
    }
  }

  /** A stream chunk: its top level, and its first choice, the only one a chunk is read for. */
  private static final class ChunkAnswer extends TopLevel {
    int index;
    @Nullable Role role;
    /** Whether the choice has a {@code delta} object; if not, its content is the legacy {@code text}. */
    boolean hasDelta;
    @Nullable String deltaContent;
    @Nullable String legacyText;
    List<ToolCallDelta> toolCalls = List.of();
    @Nullable FinishReason finishReason;

    @Nullable String content() {
      return hasDelta ? deltaContent : legacyText;
    }

    @Override
    void choices(JsonParser parser) throws IOException {
      index = 0;
      role = null;
      hasDelta = false;
      deltaContent = null;
      legacyText = null;
      toolCalls = List.of();
      finishReason = null;
      if (parser.currentToken() != JsonToken.START_ARRAY) {
        parser.skipChildren();
        return;
      }
      if (nextElement(parser)) {
        firstChoice(parser);
        while (nextElement(parser)) {
          parser.skipChildren();
        }
      }
    }

    private void firstChoice(JsonParser parser) throws IOException {
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        parser.skipChildren();
        return;
      }
      for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
        parser.nextToken();
        switch (name) {
          case "index" -> index = integer(parser);
          case "delta" -> delta(parser);
          case "text" -> legacyText = text(parser);
          case "finish_reason" -> finishReason = finishReason(parser);
          default -> parser.skipChildren();
        }
      }
    }

    private void delta(JsonParser parser) throws IOException {
      role = null;
      deltaContent = null;
      toolCalls = List.of();
      hasDelta = parser.currentToken() == JsonToken.START_OBJECT;
      if (!hasDelta) {
        parser.skipChildren();
        return;
      }
      for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
        parser.nextToken();
        switch (name) {
          case "role" -> {
            String roleName = text(parser);
            role = roleName == null ? null : Role.fromWire(roleName);
          }
          case "content" -> deltaContent = text(parser);
          case "tool_calls" -> toolCalls = toolCallDeltas(parser);
          default -> parser.skipChildren();
        }
      }
    }
  }

  private static List<ToolCallDelta> toolCallDeltas(JsonParser parser) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      parser.skipChildren();
      return List.of();
    }
    List<ToolCallDelta> deltas = new ArrayList<>(1);
    while (nextElement(parser)) {
      deltas.add(toolCallDelta(parser));
    }
    return deltas;
  }

  /** A fragment of a streamed tool call; a part missing or of the wrong type (arguments too) reads as null. */
  private static ToolCallDelta toolCallDelta(JsonParser parser) throws IOException {
    int index = 0;
    String id = null;
    String name = null;
    String arguments = null;
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return new ToolCallDelta(index, id, name, arguments);
    }
    for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
      parser.nextToken();
      switch (field) {
        case "index" -> index = integer(parser);
        case "id" -> id = text(parser);
        case "function" -> {
          name = null;
          arguments = null;
          if (parser.currentToken() == JsonToken.START_OBJECT) {
            for (String part = parser.nextFieldName(); part != null; part = parser.nextFieldName()) {
              parser.nextToken();
              switch (part) {
                case "name" -> name = text(parser);
                case "arguments" -> arguments = text(parser);
                default -> parser.skipChildren();
              }
            }
          } else {
            parser.skipChildren();
          }
        }
        default -> parser.skipChildren();
      }
    }
    return new ToolCallDelta(index, id, name, arguments);
  }

  /** A usage object; any other value is no usage reported, {@link Usage#NONE}. */
  private static Usage usage(JsonParser parser) throws IOException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return Usage.NONE;
    }
    int prompt = 0;
    int completion = 0;
    int cached = 0;
    int cacheWrite = 0;
    for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
      parser.nextToken();
      switch (name) {
        case "prompt_tokens" -> prompt = integer(parser);
        case "completion_tokens" -> completion = integer(parser);
        case "prompt_tokens_details" -> cached = cachedTokens(parser);
        case "cache_creation_input_tokens" -> cacheWrite = integer(parser);
        default -> parser.skipChildren();
      }
    }
    return new Usage(prompt, completion, cached, cacheWrite);
  }

  private static int cachedTokens(JsonParser parser) throws IOException {
    int cached = 0;
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return cached;
    }
    for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
      parser.nextToken();
      if (name.equals("cached_tokens")) {
        cached = integer(parser);
      } else {
        parser.skipChildren();
      }
    }
    return cached;
  }

  private static @Nullable FinishReason finishReason(JsonParser parser) throws IOException {
    String reason = text(parser);
    return reason == null ? null : FinishReason.fromWire(reason);
  }

  /** A string's text; null for any other value, as {@link Json#text} reads it. */
  private static @Nullable String text(JsonParser parser) throws IOException {
    return parser.currentToken() == JsonToken.VALUE_STRING ? parser.getText() : skipped(parser);
  }

  /**
   * A value as {@link JsonNode#asText(String)} with "" gives it: a string's text; a number or boolean as a
   * tree writes it ({@code 1e2} is "100.0"), through a tree as that case is rare; "" for anything else.
   */
  private static String asText(JsonParser parser) throws IOException {
    return switch (parser.currentToken()) {
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> tree(parser).asText();
      default -> {
        parser.skipChildren();
        yield "";
      }
    };
  }

  /** A number cut to an int as a tree's number node cuts it, as {@link Json#integer} reads it; else 0. */
  private static int integer(JsonParser parser) throws IOException {
    return switch (parser.currentToken()) {
      case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
        case INT -> parser.getIntValue();
        case LONG -> (int) parser.getLongValue();
        default -> parser.getBigIntegerValue().intValue();
      };
      case VALUE_NUMBER_FLOAT -> (int) parser.getDoubleValue();
      default -> {
        parser.skipChildren();
        yield 0;
      }
    };
  }

  /** A number cut to a long as a tree's number node cuts it, as {@link Json#longValue} reads it; else 0. */
  private static long longValue(JsonParser parser) throws IOException {
    return switch (parser.currentToken()) {
      case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
          ? parser.getBigIntegerValue().longValue()
          : parser.getLongValue();
      case VALUE_NUMBER_FLOAT -> (long) parser.getDoubleValue();
      default -> {
        parser.skipChildren();
        yield 0;
      }
    };
  }

  /**
   * A number as a float, as {@link Json#floats} makes it from a tree: whole numbers converted directly,
   * decimals through a double (which can round differently from reading the decimal as a float).
   */
  private static float floatValue(JsonParser parser) throws IOException {
    if (parser.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
      return (float) parser.getDoubleValue();
    }
    return switch (parser.getNumberType()) {
      case INT -> (float) parser.getIntValue();
      case LONG -> (float) parser.getLongValue();
      default -> parser.getBigIntegerValue().floatValue();
    };
  }

  /** The current value as a tree, for the rare values that must come out exactly as a tree gives them. */
  private static JsonNode tree(JsonParser parser) throws IOException {
    return Json.valueAt(parser);
  }

  /** Moves to the next element of the array the parser is in; false at the array's end. */
  private static boolean nextElement(JsonParser parser) throws IOException {
    JsonToken token = parser.nextToken();
    if (token == null) {
      // Jackson reports a body that ends inside an array itself; this only keeps a loop from spinning.
      throw new NotJsonException("the body ends inside an array");
    }
    return token != JsonToken.END_ARRAY;
  }

  /** Skips the current value and reads it as missing. */
  private static <T> @Nullable T skipped(JsonParser parser) throws IOException {
    parser.skipChildren();
    return null;
  }
}
