package dev.baton.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.ChatRequest;
import dev.baton.CompletionRequest;
import dev.baton.EmbeddingRequest;
import dev.baton.provider.MessagesBody;
import dev.baton.wire.OpenAiRequestReader;
import dev.baton.wire.RawObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CacheKeyTest {

  private static final String HELLO = "{\"model\":\"smart\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]";

  private static CacheKey chat(String json) throws Exception {
    return CacheKey.chat(OpenAiRequestReader.chat(json.getBytes(StandardCharsets.UTF_8)).request(), "smart");
  }

  private static String id(String json) throws Exception {
    return chat(json).id("team:t1");
  }

  @Test
  void theOrderOfFieldsAtAnyDepthDoesNotMatter() throws Exception {
    String a = "{\"model\":\"smart\",\"temperature\":0.2,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
        + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":{\"type\":\"object\"}}}}";
    String b = "{\"response_format\":{\"json_schema\":{\"schema\":{\"type\":\"object\"},\"name\":\"x\"},"
        + "\"type\":\"json_schema\"},\"messages\":[{\"content\":\"Hi\",\"role\":\"user\"}],\"temperature\":0.2,"
        + "\"model\":\"smart\"}";

    assertThat(id(a)).isEqualTo(id(b));
  }

  @Test
  void aNumberIsOneNumberHoweverItIsWritten() throws Exception {
    assertThat(id(HELLO + ",\"temperature\":1}")).isEqualTo(id(HELLO + ",\"temperature\":1.0}"))
        .isEqualTo(id(HELLO + ",\"temperature\":1e0}"));
    assertThat(id(HELLO + ",\"top_p\":0.70}")).isEqualTo(id(HELLO + ",\"top_p\":0.7}"));
    assertThat(id(HELLO + ",\"temperature\":1}")).isNotEqualTo(id(HELLO + ",\"temperature\":0.9}"));
  }

  @Test
  void streamingUserAndMetadataDoNotChangeTheKey() throws Exception {
    String plain = id(HELLO + "}");

    assertThat(id(HELLO + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}")).isEqualTo(plain);
    assertThat(id(HELLO + ",\"user\":\"alice\",\"metadata\":{\"run\":\"7\"}}")).isEqualTo(plain);
    assertThat(id(HELLO + ",\"fallbacks\":[\"fast\"],\"store\":true}")).isEqualTo(plain);
  }

  @Test
  void everyFieldThatCanChangeTheAnswerIsInTheKey() throws Exception {
    String plain = id(HELLO + "}");
    String[] changes = {
        ",\"temperature\":0.5", ",\"top_p\":0.5", ",\"max_tokens\":10", ",\"max_completion_tokens\":10",
        ",\"seed\":7", ",\"stop\":[\"END\"]", ",\"n\":2", ",\"presence_penalty\":0.1",
        ",\"frequency_penalty\":0.1", ",\"response_format\":{\"type\":\"json_object\"}",
        ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}]",
        ",\"tool_choice\":\"none\"", ",\"logprobs\":true", ",\"reasoning_effort\":\"high\"",
        // a field Baton does not know is passed upstream as it is, so it is in the key too
        ",\"some_provider_option\":{\"x\":1}"};
    for (String change : changes) {
      assertThat(id(HELLO + change + "}")).as(change).isNotEqualTo(plain);
    }
    assertThat(id("{\"model\":\"smart\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}"))
        .as("another message").isNotEqualTo(plain);
  }

  @Test
  void theModelTheScopeAndTheRouteEachMakeTheirOwnEntries() throws Exception {
    ChatRequest request = OpenAiRequestReader.chat((HELLO + "}").getBytes(StandardCharsets.UTF_8)).request();

    assertThat(CacheKey.chat(request, "smart").id("team:a")).isNotEqualTo(CacheKey.chat(request, "fast").id("team:a"));
    assertThat(CacheKey.chat(request, "smart").id("team:a")).isNotEqualTo(CacheKey.chat(request, "smart").id("team:b"));
    assertThat(CacheKey.chat(request, "smart").id("")).isEqualTo(CacheKey.chat(request, "smart").id(""));
    CacheKey completion = CacheKey.completion(CompletionRequest.builder().model("smart").prompt("Hello").build(), "smart");
    assertThat(completion.id("")).isNotEqualTo(CacheKey.chat(request, "smart").id(""));
  }

  @Test
  void aMessagesBodyKeepsEveryFieldAndTheBetaHeaderInItsKey() throws Exception {
    String body = "{\"model\":\"smart\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]";
    CacheKey plain = messages(body + "}", null);

    assertThat(plain.kind()).isEqualTo(CacheKey.Kind.MESSAGES);
    assertThat(messages(body + ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}}", null).id(""))
        .as("a field only Anthropic knows").isNotEqualTo(plain.id(""));
    assertThat(messages(body + "}", "context-1m-2025-08-07").id("")).as("a beta feature")
        .isNotEqualTo(plain.id(""));
    assertThat(messages(body + ",\"stream\":true,\"metadata\":{\"user_id\":\"u1\"}}", null).id(""))
        .isEqualTo(plain.id(""));
    assertThat(plain.prompt()).isEqualTo("Hello");
  }

  private static CacheKey messages(String body, String beta) throws Exception {
    RawObject raw = RawObject.of(body.getBytes(StandardCharsets.UTF_8));
    ChatRequest request = ChatRequest.builder().model("smart").user("Hello")
        .source(new MessagesBody(raw, null, beta, null)).build();
    return CacheKey.chat(request, "smart");
  }

  @Test
  void embeddingsShareAnEntryWhateverTheirEncoding() throws Exception {
    CacheKey floats = CacheKey.embedding(OpenAiRequestReader.embedding(
        "{\"model\":\"emb\",\"input\":\"x\"}".getBytes(StandardCharsets.UTF_8)).request(), "emb");
    CacheKey base64 = CacheKey.embedding(OpenAiRequestReader.embedding(
        "{\"model\":\"emb\",\"input\":\"x\",\"encoding_format\":\"base64\"}".getBytes(StandardCharsets.UTF_8)).request(),
        "emb");

    assertThat(floats.id("")).isEqualTo(base64.id(""));
    assertThat(floats.prompt()).as("embeddings have no semantic match").isNull();
    assertThat(CacheKey.embedding(EmbeddingRequest.of("emb", java.util.List.of("y")), "emb").id(""))
        .isNotEqualTo(floats.id(""));
  }

  @Test
  void theLastUserMessageIsWhatTheSemanticCacheCompares() throws Exception {
    CacheKey one = chat("{\"model\":\"smart\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
        + "{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}");
    CacheKey other = chat("{\"model\":\"smart\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Which city is France's capital?\"}]}]}");
    CacheKey otherSystem = chat("{\"model\":\"smart\",\"messages\":[{\"role\":\"system\",\"content\":\"Be long.\"},"
        + "{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}");

    assertThat(one.prompt()).isEqualTo("What is the capital of France?");
    assertThat(other.prompt()).isEqualTo("Which city is France's capital?");
    assertThat(one.context("s")).as("only the last user message differs").isEqualTo(other.context("s"));
    assertThat(one.context("s")).as("the system prompt differs").isNotEqualTo(otherSystem.context("s"));
    assertThat(one.context("s")).isNotEqualTo(one.context("t"));
  }

  @Test
  void aResponsesRequestsPromptIsItsStringInputOrItsLastUserItem() {
    CacheKey text = CacheKey.responses("{\"model\":\"smart\",\"input\":\"Tell me a joke\"}".getBytes(StandardCharsets.UTF_8),
        "smart");
    CacheKey items = CacheKey.responses(("{\"model\":\"smart\",\"input\":[{\"type\":\"message\",\"role\":\"user\","
        + "\"content\":[{\"type\":\"input_text\",\"text\":\"Tell me a joke\"}]}],\"store\":false}")
        .getBytes(StandardCharsets.UTF_8), "smart");

    assertThat(text.prompt()).isEqualTo("Tell me a joke");
    assertThat(items.prompt()).isEqualTo("Tell me a joke");
    assertThat(text.kind()).isEqualTo(CacheKey.Kind.RESPONSES);
  }
}
