package dev.baton.store.spend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.store.AttemptRecord;
import dev.baton.store.RequestRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A request-log row as one line of JSON, for the journal: the database's columns, times in epoch ms. */
final class RowCodec {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RowCodec() {}

  static String write(RequestRecord r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", r.id());
    o.put("time_ms", r.time().toEpochMilli());
    o.put("key_id", r.keyId());
    o.put("team_id", r.teamId());
    o.put("route", r.route());
    o.put("model", r.model());
    o.put("answered_by", r.answeredBy());
    ArrayNode attempts = o.putArray("attempts");
    for (AttemptRecord a : r.attempts()) {
      attempts.addObject().put("deployment", a.deployment()).put("outcome", a.outcome()).put("reason", a.reason())
          .put("latency_ms", a.latencyMs());
    }
    o.put("input_tokens", r.inputTokens());
    o.put("output_tokens", r.outputTokens());
    o.put("cost_usd", r.costUsd());
    o.put("latency_ms", r.latencyMs());
    o.put("status", r.status());
    o.put("cache", r.cache());
    o.put("request_id", r.requestId());
    o.put("error", r.error());
    o.put("prompt", r.prompt());
    o.put("answer", r.answer());
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a request row cannot be written as JSON", e);
    }
  }

  /** Reads one line; throws {@link IllegalArgumentException} for a line that is not a whole row. */
  static RequestRecord read(String line) {
    JsonNode o;
    try {
      o = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
    if (o == null || !o.path("id").isTextual() || !o.path("time_ms").canConvertToLong()) {
      throw new IllegalArgumentException("not a request row");
    }
    List<AttemptRecord> attempts = new ArrayList<>();
    for (JsonNode a : o.path("attempts")) {
      attempts.add(new AttemptRecord(a.path("deployment").asText(), a.path("outcome").asText(), text(a, "reason"),
          a.path("latency_ms").asLong()));
    }
    return new RequestRecord(o.get("id").asText(), Instant.ofEpochMilli(o.get("time_ms").asLong()), text(o, "key_id"),
        text(o, "team_id"), text(o, "route"), text(o, "model"), text(o, "answered_by"), attempts,
        o.path("input_tokens").asLong(), o.path("output_tokens").asLong(), o.path("cost_usd").asDouble(),
        o.path("latency_ms").asLong(), o.path("status").asInt(), text(o, "cache"), text(o, "request_id"),
        text(o, "error"), text(o, "prompt"), text(o, "answer"));
  }

  private static @Nullable String text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
