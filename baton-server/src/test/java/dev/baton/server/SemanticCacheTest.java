package dev.baton.server;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.baton.testkit.AnthropicFixtures;
import dev.baton.testkit.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The semantic cache through the gateway with a real embedding model — the bundled all-MiniLM-L6-v2, run
 * in-process by {@code baton-local}, named by its provider string alone: a question asked in other words
 * is answered from the cache (cosine 0.96 with this model); an unrelated one (0.13), one about another country
 * (0.66), or the same one with another system prompt, is not.
 */
class SemanticCacheTest {

  static CacheGateway env;

  @BeforeAll
  static void start() {
    env = new CacheGateway("""
        cache:
          scope: global
          models: [smart, claude]
          semantic:
            embedding_model: onnx/all-minilm-l6-v2
            threshold: 0.85
        """);
  }

  @AfterAll
  static void stop() {
    env.close();
  }

  static com.openai.core.http.HttpResponseFor<ChatCompletion> chat(String system, String question) {
    ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model("smart");
    if (system != null) {
      params.addSystemMessage(system);
    }
    return env.openAiClient.chat().completions().withRawResponse().create(params.addUserMessage(question).build());
  }

  @Test
  void aQuestionInOtherWordsIsASemanticHitAndAnUnrelatedOneAMiss() {
    env.openai.respond(request -> Reply.json(200, chatCompletion("smart-model",
        request.bodyText().contains("bread") ? "Knead, proof, bake." : "Paris.")));
    int before = env.openai.requests().size();

    var first = chat("Be brief.", "What is the capital of France?");
    var similar = chat("Be brief.", "What's the capital city of France?");
    var unrelated = chat("Be brief.", "How do I bake sourdough bread?");
    var otherSystem = chat("Answer in French, at length.", "What's the capital city of France?");
    var otherCountry = chat("Be brief.", "What is the capital of Germany?");

    assertThat(first.headers().values("x-baton-cache")).containsExactly("miss");
    assertThat(similar.headers().values("x-baton-cache")).containsExactly("semantic-hit");
    assertThat(similar.headers().values("x-baton-attempts")).containsExactly("0");
    assertThat(similar.parse().choices().get(0).message().content()).hasValue("Paris.");
    assertThat(unrelated.headers().values("x-baton-cache")).containsExactly("miss");
    assertThat(unrelated.parse().choices().get(0).message().content()).hasValue("Knead, proof, bake.");
    assertThat(otherSystem.headers().values("x-baton-cache")).as("another system prompt").containsExactly("miss");
    assertThat(otherCountry.headers().values("x-baton-cache")).as("close in words, not in meaning")
        .containsExactly("miss");
    assertThat(env.openai.requests().size() - before).isEqualTo(4);
  }

  @Test
  void theMessagesDoorHasTheSemanticCacheToo() {
    env.anthropic.always(Reply.json(200, AnthropicFixtures.message("Mount Everest.", "end_turn")));

    env.anthropicClient.messages().create(MessageCreateParams.builder().model("claude").maxTokens(64)
        .addUserMessage("Which is the highest mountain on Earth?").build());
    HttpResponseFor<Message> similar = env.anthropicClient.messages().withRawResponse().create(
        MessageCreateParams.builder().model("claude").maxTokens(64)
            .addUserMessage("What is the tallest mountain in the world?").build());

    assertThat(similar.headers().values("x-baton-cache")).containsExactly("semantic-hit");
    assertThat(similar.parse().content().get(0).asText().text()).isEqualTo("Mount Everest.");
    assertThat(env.anthropic.requests()).hasSize(1);
  }
}
