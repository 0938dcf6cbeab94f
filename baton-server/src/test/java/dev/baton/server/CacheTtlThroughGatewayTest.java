package dev.baton.server;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.Reply;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** {@code cache.ttl} with the gateway's own clock: an entry is served for its time to live, then asked anew. */
class CacheTtlThroughGatewayTest {

  @Test
  void anEntryExpiresAfterItsTimeToLive() throws Exception {
    try (CacheGateway env = new CacheGateway("cache:\n  ttl: 1s\n")) {
      env.openai.always(Reply.json(200, chatCompletion("smart-model", "ok")));
      String body = "{\"model\":\"smart\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

      env.post("/v1/chat/completions", body);
      HttpResponse<String> within = env.post("/v1/chat/completions", body);
      Thread.sleep(1_200);
      HttpResponse<String> after = env.post("/v1/chat/completions", body);

      assertThat(within.headers().firstValue("x-baton-cache")).hasValue("hit");
      assertThat(after.headers().firstValue("x-baton-cache")).hasValue("miss");
      assertThat(env.openai.requests()).hasSize(2);
    }
  }

  @Test
  void aGatewayWithoutACacheSendsNoCacheHeader() throws Exception {
    try (TestGateway env = new TestGateway()) {
      env.primary.always(Reply.json(200, chatCompletion("primary-model", "ok")));

      HttpResponse<String> answer = env.post("/v1/chat/completions",
          "{\"model\":\"primary\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.headers().firstValue("x-baton-cache")).isEmpty();
    }
  }
}
