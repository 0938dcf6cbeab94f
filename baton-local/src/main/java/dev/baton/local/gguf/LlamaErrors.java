package dev.baton.local.gguf;

import dev.baton.ContextWindowExceededException;
import dev.baton.ServerErrorException;
import dev.baton.UnsupportedRequestException;
import dev.baton.UpstreamException;
import dev.baton.provider.Call;
import java.util.Locale;

/**
 * Classifies llama.cpp's failures into Baton's error family. The binding throws them all as one
 * (package-private) {@code LlamaException} carrying llama.cpp server's message, so the message is all
 * there is to go on; each phrase below is one llama.cpp's server code sends.
 */
final class LlamaErrors {

  private LlamaErrors() {}

  /** Whether {@code e} is the binding's own failure, as opposed to a bug on this side. */
  static boolean isLlama(Throwable e) {
    return e.getClass().getName().equals("de.kherud.llama.LlamaException");
  }

  static UpstreamException classify(Call call, RuntimeException e) {
    String message = String.valueOf(e.getMessage());
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.contains("exceeds the available context size") || lower.contains("larger than the max context size")) {
      return new ContextWindowExceededException(call.source(400, "exceed_context_size_error", null),
          "llama.cpp: " + message, e);
    }
    if (lower.contains("json_schema") || lower.contains("grammar") || lower.contains("invalid_request_error")) {
      // A request this model cannot take (a schema llama.cpp cannot turn into a grammar, say) may suit the next.
      return new UnsupportedRequestException(call.source(), "llama.cpp cannot take this request: " + message, e);
    }
    // "Input prompt is too big compared to KV size" (the context memory is full) and the like: worth a retry.
    return new ServerErrorException(call.source(), "llama.cpp: " + message, e);
  }
}
