package dev.baton.provider;

import dev.baton.wire.RawObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A chat request that came in as an Anthropic Messages body: the {@link dev.baton.ChatRequest#source()}
 * of every request the gateway's {@code /v1/messages} door reads. A deployment that speaks the Messages
 * API natively ({@link MessagesNative}) sends these bytes with only {@code model} rewritten and answers
 * in Anthropic's own bytes; every other deployment translates the {@code ChatRequest} built beside it.
 *
 * <p>What a passthrough answers is carried in the answer's upstream bytes: a whole message in
 * {@link dev.baton.ChatResponse#upstreamBody()}, a stream's events, framed as Anthropic sends them
 * ({@code event: ...}, {@code data: ...}), in each {@link dev.baton.ChatChunk#upstreamBody()} — see
 * {@link #isEvents(byte[])}.
 *
 * @param body the caller's body, as it came
 * @param version the caller's {@code anthropic-version} header, sent upstream in its place; null if none
 * @param beta the caller's {@code anthropic-beta} header, sent upstream as it is; null if none
 * @param untranslatable what in the body no translation can carry (a server tool, a document block), named
 *     for the error; null when all of it translates. A deployment that would translate such a request
 *     refuses it instead ({@link #refuseUntranslatable}), so the router moves on to one that can take it.
 */
public record MessagesBody(RawObject body, @Nullable String version, @Nullable String beta,
    @Nullable String untranslatable) {

  /** Fields only the gateway reads; Anthropic rejects fields it does not know. */
  private static final String FALLBACKS = "fallbacks";
  private static final byte[] MODEL = "\"model\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ANTHROPIC_VERSION = "\"anthropic_version\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT = "event:".getBytes(StandardCharsets.US_ASCII);

  /**
   * The caller's bytes, field for field, with {@code model} replaced where it stood and Baton's own fields
   * ({@code fallbacks}) dropped. Everything else — {@code stream} included, which the gateway read to decide
   * how to call — goes as the caller wrote it.
   *
   * @param upstreamModel the provider's model id
   */
  public byte[] write(String upstreamModel) {
    return write(MODEL, quote(upstreamModel));
  }

  /**
   * The caller's bytes for a cloud that names the model in its URL and wants the API version in the body
   * (Claude on Vertex AI): as {@link #write}, with {@code model} replaced by {@code anthropic_version}.
   */
  public byte[] writeForCloud(String anthropicVersion) {
    return write(ANTHROPIC_VERSION, quote(anthropicVersion));
  }

  /** The caller's bytes with the member named by {@code key} (its {@code model}) holding {@code model}. */
  private byte[] write(byte[] key, byte[] model) {
    byte[] in = body.bytes();
    int size = 2;
    int members = 0;
    boolean hasModel = false;
    for (RawObject.Field field : body.fields()) {
      if (field.name().equals("model")) {
        size += key.length + model.length;
        hasModel = true;
      } else if (!field.name().equals(FALLBACKS)) {
        size += field.end() - field.start();
      } else {
        continue;
      }
      members++;
    }
    if (!hasModel) {
      size += key.length + model.length;
      members++;
    }
    byte[] out = new byte[size + Math.max(0, members - 1)];
    int at = 0;
    out[at++] = '{';
    if (!hasModel) {
      at = put(out, at, key, 0, key.length);
      at = put(out, at, model, 0, model.length);
    }
    for (RawObject.Field field : body.fields()) {
      if (field.name().equals(FALLBACKS)) {
        continue;
      }
      if (at > 1) {
        out[at++] = ',';
      }
      if (field.name().equals("model")) {
        at = put(out, at, key, 0, key.length);
        at = put(out, at, model, 0, model.length);
      } else {
        at = put(out, at, in, field.start(), field.end());
      }
    }
    out[at++] = '}';
    return at == out.length ? out : Arrays.copyOf(out, at);
  }

  /**
   * Refuses, for a deployment that would translate it, a request that came as a Messages body holding
   * what no translation carries: an {@link dev.baton.UnsupportedRequestException}, so the router tries the
   * next model rather than sending a request that silently lost part of itself.
   */
  public static void refuseUntranslatable(Provider provider, dev.baton.ChatRequest request, Call call) {
    if (request.source() instanceof MessagesBody messages && messages.untranslatable() != null
        && !(provider instanceof MessagesNative)) {
      throw new dev.baton.UnsupportedRequestException(call.source(), call.provider()
          + " cannot take this Anthropic Messages request: " + messages.untranslatable()
          + " exists only on Anthropic's API");
    }
  }

  /**
   * Whether a whole answer to a Messages request is an Anthropic deployment's own message, passed through,
   * whose {@link dev.baton.ChatResponse#upstreamBody()} goes back as it came — rather than another provider's
   * (whose upstream bytes are in its own protocol), to be written as a message from its fields. An answer
   * from the response cache carries upstream bytes only when they were such a message.
   */
  public static boolean answeredNatively(dev.baton.ChatResponse answer) {
    if (answer.upstreamBody() == null) {
      return false;
    }
    if (answer.cache() != null && answer.cache().hit()) {
      return true;
    }
    java.util.List<dev.baton.Attempt> trail = answer.attempts();
    return !trail.isEmpty()
        && dev.baton.provider.anthropic.AnthropicFactory.NAME.equals(trail.get(trail.size() - 1).provider());
  }

  /**
   * Whether an answer chunk's upstream bytes are Anthropic stream events, passed through, rather than an
   * OpenAI-compatible upstream's chunk JSON (which starts with {@code {}).
   */
  public static boolean isEvents(byte @Nullable [] upstreamBody) {
    if (upstreamBody == null || upstreamBody.length < EVENT.length) {
      return false;
    }
    for (int i = 0; i < EVENT.length; i++) {
      if (upstreamBody[i] != EVENT[i]) {
        return false;
      }
    }
    return true;
  }

  private static int put(byte[] out, int at, byte[] from, int start, int end) {
    System.arraycopy(from, start, out, at, end - start);
    return at + end - start;
  }

  /** A JSON string of a model id: its characters as they are when none needs escaping (every real id). */
  private static byte[] quote(String text) {
    byte[] plain = new byte[text.length() + 2];
    plain[0] = '"';
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return dev.baton.wire.Json.write(gen -> gen.writeString(text));
      }
      plain[i + 1] = (byte) c;
    }
    plain[plain.length - 1] = '"';
    return plain;
  }
}
