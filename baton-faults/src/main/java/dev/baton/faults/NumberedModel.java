package dev.baton.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.RecordedRequest;
import dev.baton.testkit.Reply;
import dev.baton.wire.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake model whose answer is sixty numbered tokens, {@code "t0 t1 ... t59 "}. Asked to continue an
 * answer — its start in a trailing assistant turn (a prefill), or in an assistant turn followed by a
 * user turn asking for the rest (a continue turn) — it answers as one of the ways real servers do, a
 * {@link Continuing}. So a caller whose broken stream was continued, by the same deployment or another,
 * can be checked to have read the whole answer exactly once.
 */
final class NumberedModel {

  /** How a server answers a request to continue an answer. */
  enum Continuing {
    /**
     * As a capable server does: a prefill is continued from its next word; a continue turn is answered
     * as asked, beginning with the last few words already written.
     */
    WELL,
    /** (a) It answers every request from the beginning, whatever came before in the conversation. */
    FROM_THE_BEGINNING,
    /** (c) It refuses a trailing assistant message with a 400; a continue turn it answers well. */
    REJECTS_PREFILL,
    /** (d) It answers from the beginning, spaced differently: a newline first, each word after a space. */
    FROM_THE_BEGINNING_SPACED_DIFFERENTLY,
    /** (e) It continues, but starts three words before where the text it was given ends. */
    WITH_OVERLAP,
    /** (f) It answers something unrelated. */
    UNRELATED
  }

  /** What an unrelated answer says. */
  static final String UNRELATED = "The weather in Paris is mild in spring, with showers in April.";

  static final int TOKENS = 60;
  private static final Pattern TOKEN = Pattern.compile("t(\\d+) ");

  private NumberedModel() {}

  /** The whole answer. */
  static String whole() {
    return text(0, TOKENS);
  }

  static String text(int from, int to) {
    return OpenAiFixtures.numberedText(from, to);
  }

  /** The first token a request asks for: after those in its last assistant turn. */
  static int startOf(RecordedRequest request) {
    try {
      JsonNode messages = Json.parse(request.body()).path("messages");
      for (int i = messages.size() - 1; i >= 0; i--) {
        JsonNode m = messages.get(i);
        if ("assistant".equals(m.path("role").asText())) {
          int next = 0;
          Matcher t = TOKEN.matcher(m.path("content").asText(""));
          while (t.find()) {
            next = Integer.parseInt(t.group(1)) + 1;
          }
          return next;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("the fake model got a request that is not JSON", e);
    }
    return 0;
  }

  /** Whether the request ends with an assistant turn: an assistant prefill. */
  static boolean isPrefill(RecordedRequest request) {
    try {
      JsonNode messages = Json.parse(request.body()).path("messages");
      return messages.size() > 0 && "assistant".equals(messages.get(messages.size() - 1).path("role").asText());
    } catch (IOException e) {
      return false;
    }
  }

  /** The stream events of tokens {@code from} (inclusive) to {@code to} (exclusive), ending the answer if {@code to} is the last. */
  static List<String> events(String model, int from, int to) {
    List<String> events = new ArrayList<>();
    events.add(OpenAiFixtures.roleChunk(model));
    for (int i = from; i < to; i++) {
      events.add(OpenAiFixtures.chunk(model, "t" + i + " "));
    }
    if (to >= TOKENS) {
      events.add(OpenAiFixtures.finishChunk(model, "stop"));
      events.add(OpenAiFixtures.usageChunk(model, 12, to - from));
      events.add(OpenAiFixtures.DONE);
    }
    return events;
  }

  /** A healthy answer to the request, from where it asks, continuing {@link Continuing#WELL well}. */
  static Reply answer(RecordedRequest request, String model) {
    return answer(request, model, Continuing.WELL);
  }

  /** A healthy answer to the request: the whole answer, or a continuation the way {@code how} says. */
  static Reply answer(RecordedRequest request, String model, Continuing how) {
    int next = startOf(request);
    if (next == 0) {
      return Reply.sse(events(model, 0, TOKENS));
    }
    boolean prefill = isPrefill(request);
    return switch (how) {
      case WELL -> Reply.sse(events(model, wellFrom(request), TOKENS));
      case FROM_THE_BEGINNING -> Reply.sse(events(model, 0, TOKENS));
      case REJECTS_PREFILL -> prefill
          ? Reply.json(400, OpenAiFixtures.error("This model does not support assistant message prefill. The"
              + " conversation must end with a user message.", "invalid_request_error", null))
          : Reply.sse(events(model, Math.max(0, next - 3), TOKENS));
      case FROM_THE_BEGINNING_SPACED_DIFFERENTLY -> Reply.sse(spacedDifferently(model));
      case WITH_OVERLAP -> Reply.sse(events(model, Math.max(0, next - 3), TOKENS));
      case UNRELATED -> Reply.sse(OpenAiFixtures.stream(model, UNRELATED.split("(?<= )")));
    };
  }

  /** The whole answer as {@code "\n t0 t1 ... t59"}: the same words, the whitespace elsewhere. */
  private static List<String> spacedDifferently(String model) {
    List<String> events = new ArrayList<>();
    events.add(OpenAiFixtures.roleChunk(model));
    events.add(OpenAiFixtures.chunk(model, "\n"));
    for (int i = 0; i < TOKENS; i++) {
      events.add(OpenAiFixtures.chunk(model, " t" + i));
    }
    events.add(OpenAiFixtures.finishChunk(model, "stop"));
    events.add(OpenAiFixtures.usageChunk(model, 12, TOKENS));
    events.add(OpenAiFixtures.DONE);
    return events;
  }

  /** Where a {@link Continuing#WELL capable} server starts: a prefill's next word, or three words back. */
  private static int wellFrom(RecordedRequest request) {
    int next = startOf(request);
    return next == 0 || isPrefill(request) ? next : Math.max(0, next - 3);
  }

  /** Whether the request asks to continue an answer (it has an assistant turn). */
  static boolean isContinuation(RecordedRequest request) {
    return startOf(request) > 0;
  }

  /** An answer that breaks after {@code tokens} tokens of its own (cut without a terminator). */
  static Reply cutAfter(RecordedRequest request, String model, int tokens) {
    int from = wellFrom(request);
    int to = Math.min(TOKENS, from + tokens);
    List<String> events = events(model, from, to);
    return to < TOKENS ? Reply.sse(events).cutAfter(events.size()) : Reply.sse(events);
  }

  /** An answer that goes silent after {@code tokens} tokens of its own, with the connection held open. */
  static Reply stallAfter(RecordedRequest request, String model, int tokens) {
    int from = wellFrom(request);
    int to = Math.min(TOKENS, from + tokens);
    List<String> events = events(model, from, to);
    return to < TOKENS ? Reply.sse(events).stallAfter(events.size()) : Reply.sse(events);
  }
}
