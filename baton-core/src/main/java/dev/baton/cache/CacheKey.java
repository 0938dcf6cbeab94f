package dev.baton.cache;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.baton.ChatRequest;
import dev.baton.CompletionRequest;
import dev.baton.EmbeddingRequest;
import dev.baton.provider.MessagesBody;
import dev.baton.wire.Json;
import dev.baton.wire.OpenAiRequestWriter;
import dev.baton.wire.RawObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a request is, to the cache: its route (one {@link Kind} per protocol), the public model asked for,
 * and every field that can change its answer, as canonical JSON — object keys sorted at every depth, numbers
 * written one way ({@code 1}, {@code 1.0} and {@code 1e0} are one number), arrays in order. The fields that
 * cannot change the answer are left out: {@code stream}, {@code stream_options}, {@code user},
 * {@code metadata}, Baton's {@code fallbacks}, {@code store}, {@code safety_identifier},
 * {@code prompt_cache_key}, and for embeddings {@code encoding_format} (the vectors are the same). So a
 * plain and a streamed request of one route share an entry. A request passed through to its provider keeps
 * every field it came with, known to Baton or not — they are all in its key.
 *
 * <p>With the scope, the key makes the entry's id ({@link #id}); for the semantic cache it also gives the
 * last user message ({@link #prompt()}) and everything else ({@link #context}), which must match exactly.
 */
public final class CacheKey {

  /** Fields that never change an answer. */
  private static final Set<String> IGNORED = Set.of("stream", "stream_options", "user", "metadata", "fallbacks",
      "store", "safety_identifier", "prompt_cache_key");
  /** Where the last user message stood, in the semantic context. */
  private static final TextNode PROMPT_MARK = TextNode.valueOf("\u0000prompt");

  /** The route a request came by: each has its own entries, and its own shape of answer. */
  public enum Kind {
    CHAT,
    COMPLETIONS,
    EMBEDDINGS,
    RESPONSES,
    MESSAGES
  }

  private final Kind kind;
  private final String model;
  private final ObjectNode fields;
  private @Nullable String prompt;
  private volatile boolean promptRead; // written after prompt, so a reader that sees it true sees prompt
  private final byte[] digest;
  private byte @Nullable [] context;

  private CacheKey(Kind kind, String model, ObjectNode fields) {
    this.kind = kind;
    this.model = model;
    this.fields = fields;
    for (String name : IGNORED) {
      fields.remove(name);
    }
    if (kind == Kind.EMBEDDINGS) {
      fields.remove("encoding_format");
    }
    fields.put("model", model);
    this.digest = digest(fields);
  }

  /**
   * A chat request's key: a Messages body's own fields (and its {@code anthropic-version} and
   * {@code anthropic-beta} headers) for one read by the Messages door, the caller's own bytes for one read
   * from a Chat Completions body, and for one built in code the JSON it is sent as.
   *
   * @param model the public model it goes to
   */
  public static CacheKey chat(ChatRequest request, String model) {
    if (request.source() instanceof MessagesBody messages) {
      ObjectNode fields = object(messages.body().bytes());
      if (messages.version() != null) {
        fields.put("$anthropic-version", messages.version());
      }
      if (messages.beta() != null) {
        fields.put("$anthropic-beta", messages.beta());
      }
      return new CacheKey(Kind.MESSAGES, model, fields);
    }
    byte[] json = request.source() instanceof RawObject raw ? raw.bytes()
        : OpenAiRequestWriter.chat(request, model, false, false);
    return new CacheKey(Kind.CHAT, model, object(json));
  }

  /** A legacy completion request's key. */
  public static CacheKey completion(CompletionRequest request, String model) {
    byte[] json = request.source() instanceof RawObject raw ? raw.bytes()
        : OpenAiRequestWriter.completion(request, model, false, false);
    return new CacheKey(Kind.COMPLETIONS, model, object(json));
  }

  /** An embeddings request's key. */
  public static CacheKey embedding(EmbeddingRequest request, String model) {
    byte[] json = request.source() instanceof RawObject raw ? raw.bytes() : OpenAiRequestWriter.embedding(request, model);
    return new CacheKey(Kind.EMBEDDINGS, model, object(json));
  }

  /**
   * A Responses API request's key.
   *
   * @param body the request as it goes to the model, its stored conversation written in ({@code input} holding
   *     every earlier turn): two requests continuing different conversations never share an entry
   */
  public static CacheKey responses(byte[] body, String model) {
    return new CacheKey(Kind.RESPONSES, model, object(body));
  }

  public Kind kind() {
    return kind;
  }

  /** The public model name asked for. */
  public String model() {
    return model;
  }

  /** The text of the last user message (a completion's prompt), or null when it has none to compare. */
  public @Nullable String prompt() {
    if (!promptRead) { // only the semantic cache asks: an exact lookup does not pay for finding it
      prompt = prompt(kind, fields);
      promptRead = true;
    }
    return prompt;
  }

  /** The id of this request's entry in a scope: a digest of the route, the model, the scope and the fields. */
  public String id(String scope) {
    return scoped(scope, digest);
  }

  /**
   * Everything of this request but its last user message, in a scope: requests with the same context differ
   * at most in that message, so one may be answered with the other's entry when the messages mean the same.
   */
  public String context(String scope) {
    byte[] c = context;
    if (c == null) {
      ObjectNode copy = fields.deepCopy();
      replacePrompt(kind, copy);
      c = digest(copy);
      context = c;
    }
    return scoped(scope, c);
  }

  private String scoped(String scope, byte[] fieldsDigest) {
    MessageDigest sha = sha256();
    update(sha, kind.name());
    update(sha, scope);
    sha.update(fieldsDigest);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest());
  }

  private static void update(MessageDigest sha, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    sha.update((byte) (bytes.length >>> 24));
    sha.update((byte) (bytes.length >>> 16));
    sha.update((byte) (bytes.length >>> 8));
    sha.update((byte) bytes.length);
    sha.update(bytes);
  }

  // The last user message.

  private static @Nullable String prompt(Kind kind, ObjectNode fields) {
    JsonNode content = promptNode(kind, fields);
    if (content == null) {
      return null;
    }
    String text = text(content);
    return text.isBlank() ? null : text;
  }

  /** Where the last user message's content is: a {@code content} field, or a completion's {@code prompt}. */
  private static @Nullable JsonNode promptNode(Kind kind, ObjectNode fields) {
    return switch (kind) {
      case CHAT, MESSAGES -> lastUserContent(fields.get("messages"));
      case RESPONSES -> {
        JsonNode input = fields.get("input");
        yield input != null && input.isTextual() ? input : lastUserContent(input);
      }
      case COMPLETIONS -> {
        JsonNode p = fields.get("prompt");
        yield p != null && (p.isTextual() || (p.isArray() && p.size() == 1 && p.get(0).isTextual())) ? p : null;
      }
      case EMBEDDINGS -> null;
    };
  }

  private static void replacePrompt(Kind kind, ObjectNode fields) {
    switch (kind) {
      case CHAT, MESSAGES -> lastUser(fields.get("messages")).set("content", PROMPT_MARK);
      case RESPONSES -> {
        if (fields.get("input").isTextual()) {
          fields.set("input", PROMPT_MARK);
        } else {
          lastUser(fields.get("input")).set("content", PROMPT_MARK);
        }
      }
      case COMPLETIONS -> fields.set("prompt", PROMPT_MARK);
      case EMBEDDINGS -> throw new IllegalStateException("embeddings have no prompt");
    }
  }

  private static @Nullable JsonNode lastUserContent(@Nullable JsonNode items) {
    ObjectNode message = lastUser(items);
    return message == null ? null : message.get("content");
  }

  private static @Nullable ObjectNode lastUser(@Nullable JsonNode items) {
    if (items == null || !items.isArray()) {
      return null;
    }
    for (int i = items.size() - 1; i >= 0; i--) {
      if (items.get(i) instanceof ObjectNode item && "user".equals(Json.text(item, "role"))) {
        return item;
      }
    }
    return null;
  }

  /** A message's text: a string, or its text parts joined ({@code text}, {@code input_text}). */
  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.textValue();
    }
    if (!content.isArray()) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if (part.isTextual()) {
        text.append(part.textValue());
      } else {
        String type = Json.text(part, "type");
        String t = Json.text(part, "text");
        if (t != null && ("text".equals(type) || "input_text".equals(type))) {
          if (!text.isEmpty()) {
            text.append('\n');
          }
          text.append(t);
        }
      }
    }
    return text.toString();
  }

  // Canonical JSON.

  private static ObjectNode object(byte[] json) {
    try {
      JsonNode node = Json.parse(json);
      if (node instanceof ObjectNode object) {
        return object;
      }
      throw new IllegalArgumentException("a request body is a JSON object");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The SHA-256 of the fields written as canonical JSON, streamed into the digest. */
  private static byte[] digest(ObjectNode fields) {
    MessageDigest sha = sha256();
    OutputStream into = new OutputStream() {
      @Override
      public void write(int b) {
        sha.update((byte) b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        sha.update(b, off, len);
      }
    };
    try (JsonGenerator gen = Json.MAPPER.createGenerator(into)) {
      canonical(gen, fields);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sha.digest();
  }

  /** Writes a value with object keys sorted and numbers in one form. */
  static void canonical(JsonGenerator gen, JsonNode node) throws IOException {
    if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.size());
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        members.add(it.next());
      }
      members.sort(Map.Entry.comparingByKey());
      gen.writeStartObject();
      for (Map.Entry<String, JsonNode> member : members) {
        gen.writeFieldName(member.getKey());
        canonical(gen, member.getValue());
      }
      gen.writeEndObject();
    } else if (node instanceof ArrayNode array) {
      gen.writeStartArray();
      for (JsonNode item : array) {
        canonical(gen, item);
      }
      gen.writeEndArray();
    } else if (node.isNumber()) {
      // One spelling per value: 1, 1.0 and 1E0 are all "1"; 0.70 is "0.7".
      gen.writeNumber(node.decimalValue().stripTrailingZeros().toPlainString());
    } else {
      gen.writeTree(node);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "CacheKey[" + kind + ", " + model + "]";
  }
}
