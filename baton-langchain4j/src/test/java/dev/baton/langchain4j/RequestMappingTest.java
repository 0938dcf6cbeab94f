package dev.baton.langchain4j;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static dev.baton.testkit.OpenAiFixtures.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.Baton;
import dev.baton.BadRequestException;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.Reply;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.AudioContent;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.PdfFileContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every part of a LangChain4j request, as the OpenAI-format upstream receives it, and the answer back. */
class RequestMappingTest {

  private static final String LENGTH_ANSWER = """
      {"id":"chatcmpl-len","object":"chat.completion","created":1700000000,"model":"gpt-4o-2024-08-06",
       "choices":[{"index":0,"message":{"role":"assistant","content":"Once upon a"},"finish_reason":"length"}],
       "usage":{"prompt_tokens":40,"completion_tokens":3,"total_tokens":43}}""";

  private static Baton openAiOnly(FakeUpstream openai) {
    return Baton.builder()
        .environment(Map.of("OPENAI_API_KEY", "sk-fake", "OPENAI_BASE_URL", openai.url("/v1")))
        .models("openai/gpt-4o", "openai/gpt-4o-mini")
        .build();
  }

  @Test
  void sendsEveryKindOfMessageAndEveryParameter() {
    try (FakeUpstream openai = FakeUpstream.start()) {
      openai.always(Reply.json(200, LENGTH_ANSWER));
      try (BatonChatModel model = BatonChatModel.builder().baton(openAiOnly(openai)).build()) {
        ToolSpecification weather = ToolSpecification.builder()
            .name("get_weather").description("Weather in a city")
            .parameters(JsonObjectSchema.builder()
                .addProperty("city", JsonStringSchema.builder().description("the city").build())
                .addProperty("unit", JsonEnumSchema.builder().enumValues("celsius", "fahrenheit").build())
                .addProperty("days", JsonArraySchema.builder().items(new JsonStringSchema()).build())
                .required("city")
                .build())
            .build();
        ChatRequest request = ChatRequest.builder()
            .messages(
                SystemMessage.from("Be brief."),
                UserMessage.from("ann", List.of(TextContent.from("What is in these?"),
                    ImageContent.from("https://example.com/cat.png", ImageContent.DetailLevel.LOW),
                    ImageContent.from("aGVsbG8=", "image/jpeg"),
                    AudioContent.from("UklGRg==", "audio/wav"),
                    PdfFileContent.from("JVBERi0=", "application/pdf"))),
                AiMessage.from("Let me look.", List.of(ToolExecutionRequest.builder()
                    .id("call_1").name("get_weather").arguments("{\"city\":\"Paris\"}").build())),
                ToolExecutionResultMessage.from("call_1", "get_weather", "18 degrees"),
                UserMessage.from("Thanks. Now tell a story."))
            .parameters(BatonChatRequestParameters.builder()
                .modelName("openai/gpt-4o-mini")
                .temperature(0.2).topP(0.9).topK(40).frequencyPenalty(0.5).presencePenalty(0.25)
                .maxOutputTokens(3).stopSequences(List.of("THE END"))
                .toolSpecifications(weather).toolChoice(ToolChoice.REQUIRED)
                .responseFormat(ResponseFormat.JSON)
                .fallbacks("openai/gpt-4o").seed(7L).endUser("user-42").parallelToolCalls(false)
                .extra("logit_bias", Map.of("50256", -100))
                .build())
            .build();

        ChatResponse response = model.chat(request);

        JsonNode sent = Fakes.body(openai.lastRequest());
        assertThat(sent.get("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(sent.get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(sent.get("top_p").asDouble()).isEqualTo(0.9);
        assertThat(sent.get("top_k").asInt()).isEqualTo(40);
        assertThat(sent.get("frequency_penalty").asDouble()).isEqualTo(0.5);
        assertThat(sent.get("presence_penalty").asDouble()).isEqualTo(0.25);
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(3);
        assertThat(sent.get("stop").get(0).asText()).isEqualTo("THE END");
        assertThat(sent.get("seed").asLong()).isEqualTo(7L);
        assertThat(sent.get("user").asText()).isEqualTo("user-42");
        assertThat(sent.get("parallel_tool_calls").asBoolean()).isFalse();
        assertThat(sent.get("logit_bias").get("50256").asInt()).isEqualTo(-100);
        assertThat(sent.get("tool_choice").asText()).isEqualTo("required");
        assertThat(sent.get("response_format").get("type").asText()).isEqualTo("json_object");
        JsonNode parameters = sent.get("tools").get(0).get("function").get("parameters");
        assertThat(parameters.get("properties").get("unit").get("enum")).extracting(JsonNode::asText)
            .containsExactly("celsius", "fahrenheit");
        assertThat(parameters.get("properties").get("days").get("items").get("type").asText()).isEqualTo("string");
        assertThat(parameters.get("required")).extracting(JsonNode::asText).containsExactly("city");

        JsonNode messages = sent.get("messages");
        assertThat(messages.get(0).get("role").asText()).isEqualTo("system");
        JsonNode parts = messages.get(1).get("content");
        assertThat(messages.get(1).get("name").asText()).isEqualTo("ann");
        assertThat(parts.get(0).get("text").asText()).isEqualTo("What is in these?");
        assertThat(parts.get(1).get("image_url").get("url").asText()).isEqualTo("https://example.com/cat.png");
        assertThat(parts.get(1).get("image_url").get("detail").asText()).isEqualTo("low");
        assertThat(parts.get(2).get("image_url").get("url").asText()).isEqualTo("data:image/jpeg;base64,aGVsbG8=");
        assertThat(parts.get(3).get("input_audio").get("data").asText()).isEqualTo("UklGRg==");
        assertThat(parts.get(3).get("input_audio").get("format").asText()).isEqualTo("wav");
        assertThat(parts.get(4).get("file").get("file_data").asText()).isEqualTo("data:application/pdf;base64,JVBERi0=");
        assertThat(messages.get(2).get("tool_calls").get(0).get("id").asText()).isEqualTo("call_1");
        assertThat(messages.get(2).get("tool_calls").get(0).get("function").get("arguments").asText())
            .isEqualTo("{\"city\":\"Paris\"}");
        assertThat(messages.get(3).get("role").asText()).isEqualTo("tool");
        assertThat(messages.get(3).get("tool_call_id").asText()).isEqualTo("call_1");
        assertThat(messages.get(3).get("content").asText()).isEqualTo("18 degrees");

        assertThat(response.aiMessage().text()).isEqualTo("Once upon a");
        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(40);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(3);
        assertThat(response.tokenUsage().totalTokenCount()).isEqualTo(43);
        assertThat(response.id()).isEqualTo("chatcmpl-len");
        assertThat(response.modelName()).isEqualTo("openai/gpt-4o-mini");
        assertThat(((BatonChatResponseMetadata) response.metadata()).upstreamModel()).isEqualTo("gpt-4o-2024-08-06");
      }
    }
  }

  @Test
  void aRequestsOwnModelNameAndStrictSchemaReachTheUpstream() {
    try (FakeUpstream openai = FakeUpstream.start()) {
      openai.always(Reply.json(200, chatCompletion("gpt-4o", "{\"city\":\"Paris\"}")));
      try (BatonChatModel model = BatonChatModel.builder().baton(openAiOnly(openai))
          .modelName("openai/gpt-4o")
          .defaultRequestParameters(BatonChatRequestParameters.builder().strictJsonSchema(true).build())
          .build()) {
        ChatRequest request = ChatRequest.builder()
            .messages(UserMessage.from("Where?"))
            .responseFormat(ResponseFormat.builder().type(dev.langchain4j.model.chat.request.ResponseFormatType.JSON)
                .jsonSchema(dev.langchain4j.model.chat.request.json.JsonSchema.builder().name("Place")
                    .rootElement(JsonObjectSchema.builder().addStringProperty("city").required("city")
                        .additionalProperties(false).build())
                    .build())
                .build())
            .build();

        model.chat(request);

        JsonNode format = Fakes.body(openai.lastRequest()).get("response_format").get("json_schema");
        assertThat(format.get("name").asText()).isEqualTo("Place");
        assertThat(format.get("strict").asBoolean()).isTrue();
        assertThat(format.get("schema").get("additionalProperties").asBoolean()).isFalse();
        assertThat(Fakes.body(openai.lastRequest()).get("model").asText()).isEqualTo("gpt-4o");
      }
    }
  }

  @Test
  void aBadRequestIsNotRetriedElsewhereAndIsAnInvalidRequestException() {
    try (FakeUpstream openai = FakeUpstream.start()) {
      openai.always(Reply.json(400, error("Invalid 'messages[0].content': string too long.", "invalid_request_error",
          "string_above_max_length")));
      try (BatonChatModel model = BatonChatModel.builder().baton(openAiOnly(openai)).build()) {

        assertThatThrownBy(() -> model.chat("Hello"))
            .isInstanceOf(InvalidRequestException.class)
            .hasMessageContaining("string too long")
            .cause().isInstanceOf(BadRequestException.class);
        assertThat(openai.requests()).hasSize(1);
      }
    }
  }
}
