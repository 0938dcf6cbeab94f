package dev.baton.langchain4j;

import dev.baton.Attempt;
import dev.baton.ToolCall;
import dev.baton.Usage;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.util.List;

/** Baton's answers as LangChain4j's: the message and its tool calls, finish reason, usage and metadata. */
final class Responses {

  private Responses() {}

  static ChatResponse toLangChain4j(dev.baton.ChatResponse r) {
    return chatResponse(r.id(), r.text(), r.toolCalls(), r.finishReason(), r.usage(), r.model(), r.upstreamModel(),
        r.attempts());
  }

  static ChatResponse chatResponse(String id, String text, List<ToolCall> toolCalls,
      dev.baton.FinishReason finish, Usage usage, String model, String upstreamModel, List<Attempt> attempts) {
    List<ToolExecutionRequest> requests = toolCalls.stream().map(Responses::toolExecutionRequest).toList();
    AiMessage message = requests.isEmpty()
        ? AiMessage.from(text)
        : AiMessage.from(text == null || text.isEmpty() ? null : text, requests);
    return ChatResponse.builder()
        .aiMessage(message)
        .metadata(BatonChatResponseMetadata.builder()
            .id(id == null || id.isEmpty() ? null : id)
            .modelName(model)
            .upstreamModel(upstreamModel)
            .tokenUsage(tokenUsage(usage))
            .finishReason(finishReason(finish, !requests.isEmpty()))
            .attempts(attempts)
            .build())
        .build();
  }

  static ToolExecutionRequest toolExecutionRequest(ToolCall call) {
    return ToolExecutionRequest.builder().id(call.id()).name(call.name()).arguments(call.arguments()).build();
  }

  static TokenUsage tokenUsage(Usage usage) {
    return usage == null ? null : new TokenUsage(usage.promptTokens(), usage.completionTokens(), usage.totalTokens());
  }

  static FinishReason finishReason(dev.baton.FinishReason reason, boolean calledTools) {
    if (reason == null) {
      return calledTools ? FinishReason.TOOL_EXECUTION : null;
    }
    return switch (reason) {
      case STOP -> calledTools ? FinishReason.TOOL_EXECUTION : FinishReason.STOP;
      case LENGTH -> FinishReason.LENGTH;
      case TOOL_CALLS, FUNCTION_CALL -> FinishReason.TOOL_EXECUTION;
      case CONTENT_FILTER -> FinishReason.CONTENT_FILTER;
    };
  }
}
