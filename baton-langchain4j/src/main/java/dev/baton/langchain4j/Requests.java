package dev.baton.langchain4j;

import dev.baton.ContentPart;
import dev.baton.Message;
import dev.baton.ResponseFormat;
import dev.baton.Role;
import dev.baton.Tool;
import dev.baton.ToolCall;
import dev.baton.ToolChoice;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.audio.Audio;
import dev.langchain4j.data.image.Image;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.AudioContent;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.PdfFileContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.pdf.PdfFile;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A LangChain4j {@link ChatRequest} as Baton's: every kind of message (system, user with text, images,
 * audio and PDFs, assistant with tool calls, tool results), the tool specifications, and the
 * parameters — model, temperature, top-p, top-k, penalties, output limit, stop sequences, tool choice
 * and response format with its JSON schema — plus Baton's own from {@link BatonChatRequestParameters}.
 */
final class Requests {

  private Requests() {}

  static dev.baton.ChatRequest toBaton(ChatRequest request, String defaultModel, boolean stream) {
    ChatRequestParameters p = request.parameters();
    dev.baton.ChatRequest.Builder b = dev.baton.ChatRequest.builder()
        .model(p.modelName() != null ? p.modelName() : defaultModel)
        .temperature(p.temperature())
        .topP(p.topP())
        .maxTokens(p.maxOutputTokens())
        .frequencyPenalty(p.frequencyPenalty())
        .presencePenalty(p.presencePenalty())
        .includeUsage(stream);
    if (p.stopSequences() != null && !p.stopSequences().isEmpty()) {
      b.stop(p.stopSequences());
    }
    if (p.topK() != null) {
      b.extra("top_k", p.topK());
    }
    for (ChatMessage message : request.messages()) {
      b.message(message(message));
    }
    if (p.toolSpecifications() != null) {
      for (ToolSpecification tool : p.toolSpecifications()) {
        b.tool(new Tool(tool.name(), tool.description(), JsonSchemas.parameters(tool.parameters()), tool.strict()));
      }
    }
    if (p.toolChoice() != null) {
      b.toolChoice(switch (p.toolChoice()) {
        case AUTO -> ToolChoice.AUTO;
        case REQUIRED -> ToolChoice.REQUIRED;
        case NONE -> ToolChoice.NONE;
      });
    }
    b.responseFormat(responseFormat(p.responseFormat(), p));
    if (p instanceof BatonChatRequestParameters baton) {
      baton.applyTo(b);
    }
    return b.build();
  }

  private static ResponseFormat responseFormat(dev.langchain4j.model.chat.request.ResponseFormat format,
      ChatRequestParameters p) {
    if (format == null || format.type() == ResponseFormatType.TEXT) {
      return null;
    }
    if (format.jsonSchema() == null) {
      return ResponseFormat.jsonObject();
    }
    Boolean strict = p instanceof BatonChatRequestParameters baton ? baton.strictJsonSchema() : null;
    String name = format.jsonSchema().name() == null ? "answer" : format.jsonSchema().name();
    return new ResponseFormat("json_schema", name, JsonSchemas.toJson(format.jsonSchema().rootElement()), strict);
  }

  static Message message(ChatMessage message) {
    return switch (message) {
      case SystemMessage system -> Message.system(system.text());
      case UserMessage user -> user(user);
      case AiMessage ai -> assistant(ai);
      case ToolExecutionResultMessage result -> toolResult(result);
      default -> throw new UnsupportedFeatureException("Baton cannot send a " + message.type()
          + " message (" + message.getClass().getSimpleName() + ")");
    };
  }

  private static Message user(UserMessage user) {
    if (user.hasSingleText()) {
      return new Message(Role.USER, user.singleText(), List.of(), user.name(), List.of(), null, Map.of());
    }
    return new Message(Role.USER, null, parts(user.contents()), user.name(), List.of(), null, Map.of());
  }

  private static Message assistant(AiMessage ai) {
    List<ToolCall> calls = new ArrayList<>();
    if (ai.toolExecutionRequests() != null) {
      for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
        calls.add(new ToolCall(call.id() == null ? call.name() : call.id(), call.name(),
            call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments()));
      }
    }
    return Message.assistant(ai.text(), calls);
  }

  private static Message toolResult(ToolExecutionResultMessage result) {
    String callId = result.id() != null ? result.id() : result.toolName();
    if (result.hasSingleText()) {
      return Message.tool(callId, result.text());
    }
    return new Message(Role.TOOL, null, parts(result.contents()), null, List.of(), callId, Map.of());
  }

  private static List<ContentPart> parts(List<Content> contents) {
    List<ContentPart> parts = new ArrayList<>(contents.size());
    for (Content content : contents) {
      parts.add(switch (content) {
        case TextContent text -> new ContentPart.Text(text.text());
        case ImageContent image -> new ContentPart.Image(imageUrl(image.image()),
            image.detailLevel() == null ? null : detail(image.detailLevel()));
        case AudioContent audio -> audio(audio.audio());
        case PdfFileContent pdf -> pdf(pdf.pdfFile());
        default -> throw new UnsupportedFeatureException("Baton cannot send " + content.type() + " content ("
            + content.getClass().getSimpleName() + "); it sends text, images, audio and PDF files");
      });
    }
    return parts;
  }

  private static String imageUrl(Image image) {
    if (image.base64Data() != null) {
      String mime = image.mimeType() == null ? "image/png" : image.mimeType();
      return "data:" + mime + ";base64," + image.base64Data();
    }
    if (image.url() != null) {
      return image.url().toString();
    }
    throw new UnsupportedFeatureException("an image needs a URL or base64 data");
  }

  /** OpenAI's detail levels are low, high and auto; LangChain4j's others ask for the most the model gives. */
  private static String detail(ImageContent.DetailLevel level) {
    return switch (level.name()) {
      case "LOW" -> "low";
      case "AUTO" -> "auto";
      default -> "high";
    };
  }

  /** OpenAI's {@code input_audio} part, which Baton passes on or translates per provider. */
  private static ContentPart audio(Audio audio) {
    if (audio.base64Data() == null) {
      throw new UnsupportedFeatureException("Baton sends audio as base64 data, not by URL");
    }
    String mime = audio.mimeType() == null ? "audio/wav" : audio.mimeType();
    Map<String, Object> inputAudio = new LinkedHashMap<>();
    inputAudio.put("data", audio.base64Data());
    inputAudio.put("format", mime.substring(mime.indexOf('/') + 1).toLowerCase(Locale.ROOT).replace("mpeg", "mp3"));
    return new ContentPart.Other("input_audio", Map.of("type", "input_audio", "input_audio", inputAudio));
  }

  /** OpenAI's {@code file} part with the PDF inline. */
  private static ContentPart pdf(PdfFile pdf) {
    if (pdf.base64Data() == null) {
      throw new UnsupportedFeatureException("Baton sends PDF files as base64 data, not by URL");
    }
    String mime = pdf.mimeType() == null ? "application/pdf" : pdf.mimeType();
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("filename", "document.pdf");
    file.put("file_data", "data:" + mime + ";base64," + pdf.base64Data());
    return new ContentPart.Other("file", Map.of("type", "file", "file", file));
  }
}
