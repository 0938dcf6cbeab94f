package dev.baton.server;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.baton.testkit.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateways over one shared store, chosen by {@code cache.type} as Redis will be: an answer stored through
 * one is a hit through the other, and a store that goes away makes misses, never failures.
 */
class SharedCacheTest {

  static final String SHARED = """
      cache:
        type: shared-memory
        scope: team
      """;

  CacheGateway one;
  CacheGateway two;

  @AfterEach
  void stop() {
    SharedStoreFactory.STORE.down(false);
    if (one != null) {
      one.close();
    }
    if (two != null) {
      two.close();
    }
  }

  static ChatCompletionCreateParams ask(String text) {
    return ChatCompletionCreateParams.builder().model("smart").addUserMessage(text).build();
  }

  @Test
  void anAnswerStoredThroughOneInstanceIsAHitThroughAnother() {
    one = new CacheGateway(SHARED);
    two = new CacheGateway(SHARED);
    one.openai.always(Reply.json(200, chatCompletion("smart-model", "stored by one")));
    two.openai.always(Reply.json(200, chatCompletion("smart-model", "never asked")));
    String question = "Shared question " + System.nanoTime();

    one.openAiClient.chat().completions().create(ask(question));
    HttpResponseFor<ChatCompletion> fromTwo = two.openAiClient.chat().completions().withRawResponse()
        .create(ask(question));

    assertThat(fromTwo.headers().values("x-baton-cache")).containsExactly("hit");
    assertThat(fromTwo.parse().choices().get(0).message().content()).hasValue("stored by one");
    assertThat(two.openai.requests()).isEmpty();
  }

  @Test
  void aStoreThatIsDownMakesMissesNotFailures() {
    one = new CacheGateway(SHARED);
    one.openai.always(Reply.json(200, chatCompletion("smart-model", "answered anyway")));
    String question = "While the store is down " + System.nanoTime();
    SharedStoreFactory.STORE.down(true);

    HttpResponseFor<ChatCompletion> first = one.openAiClient.chat().completions().withRawResponse().create(ask(question));
    HttpResponseFor<ChatCompletion> second = one.openAiClient.chat().completions().withRawResponse().create(ask(question));
    SharedStoreFactory.STORE.down(false);
    one.openAiClient.chat().completions().create(ask(question));
    HttpResponseFor<ChatCompletion> back = one.openAiClient.chat().completions().withRawResponse().create(ask(question));

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.headers().values("x-baton-cache")).containsExactly("miss");
    assertThat(second.parse().choices().get(0).message().content()).hasValue("answered anyway");
    assertThat(back.headers().values("x-baton-cache")).containsExactly("hit");
    assertThat(one.openai.requests()).hasSize(3);
  }
}
