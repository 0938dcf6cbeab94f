package dev.baton.server.door;

import dev.baton.BatonException;
import dev.baton.ChatChunk;
import dev.baton.ChatStream;
import dev.baton.server.pipeline.Exchange;
import dev.baton.wire.OpenAiResponseWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * OpenAI's server-sent events, shared by the chat and legacy completion doors: {@code data: <chunk>} per
 * chunk, flushed as it arrives, and {@code data: [DONE]} at the end. An answer that breaks and cannot be
 * completed ends with an error event and no {@code [DONE]}; a caller that goes away closes the upstream
 * connection.
 */
final class OpenAiStream {

  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  private OpenAiStream() {}

  /**
   * Writes the whole stream and records how it ended on the exchange; returns when it is over.
   *
   * @param encoder a chunk's JSON in the door's protocol
   */
  static void write(Exchange exchange, ChatStream stream, Function<ChatChunk, byte[]> encoder) {
    StringBuilder text = exchange.keepsContent() ? new StringBuilder() : null;
    try (stream; OutputStream out = Answers.startStream(exchange, stream)) {
      try {
        for (ChatChunk chunk : stream) {
          if (text != null) {
            text.append(chunk.text());
          }
          out.write(DATA);
          out.write(encoder.apply(chunk));
          out.write(EVENT_END);
          out.flush();
        }
        exchange.answered(stream.model(), stream.attempts(), stream.usage());
        out.write(DONE);
        out.flush();
      } catch (BatonException e) {
        exchange.failed(e);
        exchange.answered(stream.model(), stream.attempts(), stream.usage());
        out.write(DATA);
        out.write(OpenAiResponseWriter.error(e));
        out.write(EVENT_END);
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // The caller went away; closing the stream above has already closed the upstream connection.
      exchange.clientGone();
    }
    if (text != null) {
      exchange.answerContent(text.toString());
    }
  }
}
