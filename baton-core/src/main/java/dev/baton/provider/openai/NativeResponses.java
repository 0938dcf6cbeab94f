package dev.baton.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.ChatChunk;
import dev.baton.ChatResponse;
import dev.baton.ToolCallDelta;
import dev.baton.UnreadableResponseException;
import dev.baton.UpstreamException;
import dev.baton.provider.Call;
import dev.baton.provider.ChunkSource;
import dev.baton.provider.ErrorDetails;
import dev.baton.provider.MalformedEvents;
import dev.baton.provider.ResponsesApi;
import dev.baton.provider.UpstreamErrors;
import dev.baton.transport.HttpResult;
import dev.baton.transport.HttpStream;
import dev.baton.transport.HttpTransport;
import dev.baton.transport.SseReader;
import dev.baton.wire.Json;
import dev.baton.wire.NotJsonException;
import dev.baton.wire.OpenAiRequestWriter;
import dev.baton.wire.RawObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's Responses API on a deployment that speaks it ({@code responses_api: native}): the caller's body
 * goes to {@code POST /responses} with only {@code model} rewritten, and the answer or each event of the
 * stream comes back as the upstream sent it, read only for what the router needs. Errors are OpenAI's
 * error bodies, classified as for chat; a {@code response.failed} or {@code error} event is classified as
 * the failure it reports.
 */
final class NativeResponses implements ResponsesApi {

  private static final String OPERATION = "responses";
  private static final int MAX_ERROR_BODY = 64 * 1024;
  private static final long END_GRACE_NANOS = Duration.ofSeconds(2).toNanos();

  private final OpenAiProvider provider;
  private final String model;
  private final HttpTransport http;
  private final @Nullable String secret;

  NativeResponses(OpenAiProvider provider, String model, HttpTransport http, @Nullable String secret) {
    this.provider = provider;
    this.model = model;
    this.http = http;
    this.secret = secret;
  }

  @Override
  public ChatResponse respond(RawObject body, Call call) {
    byte[] json = OpenAiRequestWriter.responses(body, model, false);
    HttpResult result = http.send(call, provider.post(call, OPERATION, json, false));
    if (!result.isSuccess()) {
      throw provider.error(call, result.status(), result.headers(), result.body());
    }
    return OpenAiProvider.unlessWithheld(read(call, result.body()), call, "incomplete_details.reason content_filter");
  }

  @Override
  public ChunkSource stream(RawObject body, Call call) {
    byte[] json = OpenAiRequestWriter.responses(body, model, true);
    HttpStream stream = http.stream(call, provider.post(call, OPERATION, json, true));
    if (!stream.isSuccess()) {
      throw provider.error(call, stream.status(), stream.headers(), stream.readAll(MAX_ERROR_BODY));
    }
    if (stream.headers().firstValue("content-type").orElse("").startsWith("application/json")) {
      // A whole body where a stream was asked for: an error report, or a server that ignores "stream".
      byte[] whole = stream.readAll(MAX_ERROR_BODY * 16);
      stream.close();
      read(call, whole);
      throw new UnreadableResponseException(call.source(200, null, null),
          "a stream was asked for and the answer came whole, as JSON");
    }
    return ChunkSource.over(stream, new EventReader(call, stream));
  }

  private ChatResponse read(Call call, byte[] body) {
    return call.read(() -> {
      try {
        return ResponsesReader.response(body, model);
      } catch (NotJsonException e) {
        throw call.notJson(body, e);
      } catch (ResponsesReader.ErrorReport e) {
        throw classify(call, e.details);
      }
    });
  }

  private UpstreamException classify(Call call, ErrorDetails details) {
    return UpstreamErrors.classify(call, 0, null, details, secret);
  }

  /** Reads the upstream's events until {@code response.completed} or {@code response.incomplete}. */
  private final class EventReader implements ChunkSource.Reader {
    private final Call call;
    private final HttpStream stream;
    private final SseReader events;
    private final MalformedEvents malformed;
    private String id = "";
    private long created;
    private String upstreamModel = model;
    private boolean finished;

    EventReader(Call call, HttpStream stream) {
      this.call = call;
      this.stream = stream;
      this.events = new SseReader(stream.body());
      this.malformed = new MalformedEvents(call);
    }

    @Override
    public @Nullable ChatChunk read() {
      while (true) {
        SseReader.Event event = OpenAiProvider.nextEvent(events, call, finished);
        if (event == null || event.isDone()) {
          if (finished) {
            return null;
          }
          throw call.connectionFailed("the stream ended before the answer was complete (no response.completed)", null);
        }
        if (event.error() != null) {
          throw classify(call, ErrorDetails.of(event.error()));
        }
        ResponsesReader.Event read;
        try {
          read = ResponsesReader.event(event.name(), event.data());
        } catch (IOException e) {
          malformed.skip(e);
          continue;
        }
        ChatChunk chunk = chunk(read, frame(read.type(), event.data()));
        if (finished) {
          stream.awaitingEnd(END_GRACE_NANOS);
        }
        return chunk;
      }
    }

    private ChatChunk chunk(ResponsesReader.Event event, byte[] frame) {
      switch (event.type()) {
        case "response.created", "response.in_progress" -> {
          ResponsesReader.Answer response = event.response();
          if (response != null) {
            id = response.id() == null ? id : response.id();
            created = response.createdAt() == 0 ? created : response.createdAt();
            upstreamModel = response.model() == null ? upstreamModel : response.model();
          }
        }
        case "response.output_text.delta" -> {
          return new ChatChunk(id, created, upstreamModel, 0, null, event.delta() == null ? "" : event.delta(),
              List.of(), null, null, frame);
        }
        case "response.output_item.added" -> {
          JsonNode item = event.item();
          if (item != null && "function_call".equals(Json.text(item, "type"))) {
            String arguments = Json.text(item, "arguments");
            return toolCall(new ToolCallDelta(event.outputIndex(), textOr(item, "call_id", ""),
                textOr(item, "name", ""), arguments == null || arguments.isEmpty() ? null : arguments), frame);
          }
        }
        case "response.function_call_arguments.delta" -> {
          if (event.delta() != null && !event.delta().isEmpty()) {
            return toolCall(new ToolCallDelta(event.outputIndex(), null, null, event.delta()), frame);
          }
        }
        case "response.completed", "response.incomplete" -> {
          finished = true;
          ResponsesReader.Answer response = event.response();
          if (response == null) {
            throw new UnreadableResponseException(call.source(200, null, null),
                "a " + event.type() + " event without its response");
          }
          upstreamModel = response.model() == null ? upstreamModel : response.model();
          return new ChatChunk(id, created, upstreamModel, 0, null, null, List.of(), response.finishReason(),
              response.usage(), frame);
        }
        case "response.failed" -> throw classify(call,
            ResponsesReader.errorDetails(event.response() == null ? null : event.response().error()));
        case "error" -> throw classify(call, ErrorDetails.of(event.message(), event.code()));
        default -> {
          // Every other event (reasoning, annotations, hosted tools, ...) is passed on as it is.
        }
      }
      return new ChatChunk(id, created, upstreamModel, 0, null, null, List.of(), null, null, frame);
    }

    private ChatChunk toolCall(ToolCallDelta delta, byte[] frame) {
      return new ChatChunk(id, created, upstreamModel, 0, null, null, List.of(delta), null, null, frame);
    }
  }

  private static String textOr(JsonNode node, String field, String otherwise) {
    String text = Json.text(node, field);
    return text == null ? otherwise : text;
  }

  private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

  /**
   * The event as a whole server-sent event again: {@code event: <type>}, its data (one {@code data:} line
   * for each of its lines) and the blank line that ends it.
   */
  static byte[] frame(String type, byte[] data) {
    byte[] name = type.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(EVENT.length + name.length + DATA.length + data.length + 3);
    out.write(EVENT, 0, EVENT.length);
    out.write(name, 0, name.length);
    out.write('\n');
    int from = 0;
    for (int i = 0; i <= data.length; i++) {
      if (i == data.length || data[i] == '\n') {
        out.write(DATA, 0, DATA.length);
        out.write(data, from, i - from);
        out.write('\n');
        from = i + 1;
      }
    }
    out.write('\n');
    return out.toByteArray();
  }
}
