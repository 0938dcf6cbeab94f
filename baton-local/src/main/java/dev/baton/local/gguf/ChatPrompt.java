package dev.baton.local.gguf;

import com.fasterxml.jackson.core.JsonGenerator;
import de.kherud.llama.LlamaModel;
import dev.baton.ChatRequest;
import dev.baton.ContentPart;
import dev.baton.Message;
import dev.baton.UnsupportedRequestException;
import dev.baton.provider.Call;
import dev.baton.wire.Json;
import java.nio.charset.StandardCharsets;

/**
 * Renders a chat request into the prompt text the model was trained on, with the chat template in its
 * GGUF file. llama.cpp picks the matching built-in format (ChatML, Llama 2 and 3, Mistral, Gemma, Phi,
 * DeepSeek, ...) from the file's template, and uses ChatML when it recognises none.
 *
 * <p>The template is not run as Jinja: llama.cpp's Jinja engine reports a template's
 * {@code raise_exception} (many templates raise on, say, two user turns in a row) as a C++ exception that
 * the binding lets through JNI, which ends the JVM. The built-in formats raise nothing.
 *
 * <p>Tools, images and tool results are refused as an unsupported request, so the router falls back to a
 * model that takes them.
 */
final class ChatPrompt {

  private ChatPrompt() {}

  static String render(LlamaModel llama, ChatRequest request, Call call) {
    if (!request.tools().isEmpty()) {
      throw unsupported(call, "tools");
    }
    if (request.n() != null && request.n() > 1) {
      throw unsupported(call, "n > 1 (several choices)");
    }
    byte[] json = Json.write(gen -> {
      gen.writeStartObject();
      gen.writeArrayFieldStart("messages");
      for (Message m : request.messages()) {
        message(gen, m, call);
      }
      gen.writeEndArray();
      gen.writeBooleanField("add_generation_prompt", true);
      gen.writeEndObject();
    });
    return llama.applyTemplate(new String(json, StandardCharsets.UTF_8));
  }

  private static void message(JsonGenerator gen, Message m, Call call) throws java.io.IOException {
    String role = switch (m.role()) {
      case SYSTEM, DEVELOPER -> "system";
      case USER -> "user";
      case ASSISTANT -> "assistant";
      case TOOL, FUNCTION -> throw unsupported(call, "tool results");
    };
    if (!m.toolCalls().isEmpty()) {
      throw unsupported(call, "tool calls");
    }
    for (ContentPart part : m.parts()) {
      if (!(part instanceof ContentPart.Text)) {
        throw unsupported(call, "content other than text (images, audio, files)");
      }
    }
    gen.writeStartObject();
    gen.writeStringField("role", role);
    gen.writeStringField("content", m.text());
    gen.writeEndObject();
  }

  private static UnsupportedRequestException unsupported(Call call, String what) {
    return new UnsupportedRequestException(call.source(), "a gguf model here takes text messages only, not "
        + what);
  }
}
