package dev.baton.cache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/**
 * An answer as the cache keeps it: who answered, the answer in OpenAI's JSON for its route (a chat
 * completion, a text completion, an embedding list — from which any protocol's answer or stream is written
 * again), and, for a route whose provider answered in the caller's own protocol (an Anthropic message, a
 * Response object), that answer's own bytes, which a plain request gets back as they came.
 *
 * @param model the public name of the model that answered (a fallback's, when one did)
 * @param answer the answer as OpenAI JSON
 * @param nativeBody the answer in the route's own protocol, when its provider spoke it; else null
 */
record CachedAnswer(String model, byte[] answer, byte @Nullable [] nativeBody) {

  /** The format's version: an entry of another one (written by another release) is a miss. */
  private static final byte VERSION = 1;

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(answer.length + 64
        + (nativeBody == null ? 0 : nativeBody.length));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeUTF(model);
      out.writeInt(answer.length);
      out.write(answer);
      out.writeInt(nativeBody == null ? -1 : nativeBody.length);
      if (nativeBody != null) {
        out.write(nativeBody);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The answer an entry holds, or null when it is not one this release can read. */
  static @Nullable CachedAnswer decode(byte[] value) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
      if (in.readByte() != VERSION) {
        return null;
      }
      String model = in.readUTF();
      byte[] answer = new byte[length(in.readInt(), value.length)];
      in.readFully(answer);
      int nativeLength = in.readInt();
      byte[] nativeBody = nativeLength < 0 ? null : new byte[length(nativeLength, value.length)];
      if (nativeBody != null) {
        in.readFully(nativeBody);
      }
      return in.available() == 0 ? new CachedAnswer(model, answer, nativeBody) : null;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  private static int length(int n, int total) {
    if (n < 0 || n > total) {
      throw new IllegalArgumentException("not an entry");
    }
    return n;
  }
}
