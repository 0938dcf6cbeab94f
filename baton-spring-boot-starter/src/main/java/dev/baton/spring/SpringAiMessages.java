package dev.baton.spring;

import dev.baton.Attempt;
import dev.baton.ContentPart;
import dev.baton.FinishReason;
import dev.baton.Message;
import dev.baton.ResponseFormat;
import dev.baton.Tool;
import dev.baton.ToolCall;
import dev.baton.Usage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * Spring AI's prompts as Baton's requests and Baton's answers as Spring AI's responses: messages with
 * their media, tool definitions, tool calls and tool responses, options, usage, finish reasons, and the
 * answering model with the attempt trail in the response metadata.
 */
final class SpringAiMessages {

  /** The {@link ChatResponseMetadata} key of a response's {@code List<Attempt>}. */
  static final String ATTEMPTS = "baton.attempts";
  /** The {@link ChatResponseMetadata} key of the model id the answering provider reported. */
  static final String UPSTREAM_MODEL = "baton.upstream-model";

  private SpringAiMessages() {}

  static dev.baton.ChatRequest request(Prompt prompt, BatonChatOptions options, @Nullable String defaultModel,
      boolean stream) {
    dev.baton.ChatRequest.Builder b = dev.baton.ChatRequest.builder()
        .model(options.getModel() != null ? options.getModel() : defaultModel)
        .temperature(options.getTemperature())
        .topP(options.getTopP())
        .maxTokens(options.getMaxTokens())
        .frequencyPenalty(options.getFrequencyPenalty())
        .presencePenalty(options.getPresencePenalty())
        .includeUsage(stream)
        .fallbacks(options.getFallbacks());
    if (options.getStopSequences() != null && !options.getStopSequences().isEmpty()) {
      b.stop(options.getStopSequences());
    }
    if (options.getTopK() != null) {
      b.extra("top_k", options.getTopK());
    }
    for (org.springframework.ai.chat.messages.Message message : prompt.getInstructions()) {
      messages(message).forEach(b::message);
    }
    if (options.getToolCallbacks() != null) {
      for (ToolCallback callback : options.getToolCallbacks()) {
        ToolDefinition d = callback.getToolDefinition();
        b.tool(Tool.function(d.name(), d.description(), d.inputSchema()));
      }
    }
    if (options.getOutputSchema() != null) {
      b.responseFormat(ResponseFormat.jsonSchema("answer", options.getOutputSchema(), false));
    }
    return b.build();
  }

  private static List<Message> messages(org.springframework.ai.chat.messages.Message message) {
    return switch (message) {
      case SystemMessage system -> List.of(Message.system(text(system.getText())));
      case UserMessage user -> List.of(user(user));
      case AssistantMessage assistant -> List.of(Message.assistant(assistant.getText(), assistant.getToolCalls().stream()
          .map(c -> new ToolCall(c.id(), c.name(), c.arguments() == null || c.arguments().isBlank() ? "{}" : c.arguments()))
          .toList()));
      case ToolResponseMessage tools -> tools.getResponses().stream()
          .map(r -> Message.tool(r.id(), r.responseData()))
          .toList();
      default -> throw new IllegalArgumentException("Baton cannot send a " + message.getMessageType() + " message");
    };
  }

  private static Message user(UserMessage user) {
    if (user.getMedia().isEmpty()) {
      return Message.user(text(user.getText()));
    }
    List<ContentPart> parts = new ArrayList<>();
    if (user.getText() != null && !user.getText().isEmpty()) {
      parts.add(new ContentPart.Text(user.getText()));
    }
    for (Media media : user.getMedia()) {
      parts.add(part(media));
    }
    return Message.user(parts);
  }

  private static ContentPart part(Media media) {
    String type = media.getMimeType().getType().toLowerCase(Locale.ROOT);
    String mime = media.getMimeType().getType() + "/" + media.getMimeType().getSubtype();
    String url = url(media, mime);
    if (type.equals("image")) {
      return new ContentPart.Image(url, null);
    }
    if (type.equals("audio")) {
      Map<String, Object> audio = new LinkedHashMap<>();
      audio.put("data", url.substring(url.indexOf(',') + 1));
      audio.put("format", media.getMimeType().getSubtype().replace("mpeg", "mp3"));
      return new ContentPart.Other("input_audio", Map.of("type", "input_audio", "input_audio", audio));
    }
    if (mime.equals("application/pdf")) {
      Map<String, Object> file = new LinkedHashMap<>();
      file.put("filename", media.getName());
      file.put("file_data", url);
      return new ContentPart.Other("file", Map.of("type", "file", "file", file));
    }
    throw new IllegalArgumentException("Baton cannot send " + mime + " media; it sends images, audio and PDF files");
  }

  /** A media's data as a URL: its own http(s) or data URL, else its bytes as a base64 data URL. */
  private static String url(Media media, String mime) {
    Object data = media.getData();
    if (data instanceof String s && (s.startsWith("http://") || s.startsWith("https://") || s.startsWith("data:"))) {
      return s;
    }
    String base64 = data instanceof String s ? s : Base64.getEncoder().encodeToString(media.getDataAsByteArray());
    return "data:" + mime + ";base64," + base64;
  }

  private static String text(@Nullable String text) {
    return text == null ? "" : text;
  }

  static ChatResponse response(String id, @Nullable String text, List<ToolCall> toolCalls,
      @Nullable FinishReason finish, @Nullable Usage usage, String model, String upstreamModel,
      List<Attempt> attempts) {
    AssistantMessage message = AssistantMessage.builder()
        .content(text)
        .toolCalls(toolCalls.stream().map(c -> new AssistantMessage.ToolCall(c.id(), "function", c.name(),
            c.arguments())).toList())
        .build();
    ChatGenerationMetadata generation = finish == null
        ? ChatGenerationMetadata.NULL
        : ChatGenerationMetadata.builder().finishReason(finish.name()).build();
    return new ChatResponse(List.of(new Generation(message, generation)),
        metadata(id, usage, model, upstreamModel, attempts));
  }

  static ChatResponseMetadata metadata(String id, @Nullable Usage usage, String model, String upstreamModel,
      List<Attempt> attempts) {
    ChatResponseMetadata.Builder b = ChatResponseMetadata.builder().id(id).model(model)
        .keyValue(UPSTREAM_MODEL, upstreamModel)
        .keyValue(ATTEMPTS, attempts);
    if (usage != null) {
      b.usage(new DefaultUsage(usage.promptTokens(), usage.completionTokens(), usage.totalTokens(), usage));
    }
    return b.build();
  }
}
