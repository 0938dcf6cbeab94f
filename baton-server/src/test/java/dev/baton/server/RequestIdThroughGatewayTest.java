package dev.baton.server;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static dev.baton.testkit.OpenAiFixtures.numberedStream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.Reply;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every answer of the gateway carries {@code x-request-id}: answers, streams, refusals and errors alike. */
class RequestIdThroughGatewayTest {

  static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
  static final String HI = "{\"model\":\"primary\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static final String KEY = "Bearer gateway-master";

  TestGateway env;

  @BeforeEach
  void start() {
    env = new TestGateway("""
          master_key: gateway-master
          max_body: 1KB
        """);
    env.primary.always(Reply.json(200, chatCompletion("primary-model", "fine")));
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void everyKindOfAnswerCarriesAFreshId() throws Exception {
    env.special.always(Reply.sse(numberedStream("special-model", 20)).cutAfter(4));
    List<HttpResponse<String>> answers = List.of(
        env.post("/v1/chat/completions", HI, "Authorization", KEY),
        env.post("/chat/completions", HI, "Authorization", KEY),
        env.post("/v1/chat/completions", HI.replace("\"messages\"", "\"stream\":true,\"messages\""),
            "Authorization", KEY),
        env.post("/v1/chat/completions", "{\"model\":\"special\",\"stream\":true,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"count\"}]}", "Authorization", KEY),
        env.post("/v1/chat/completions", "{\"model\":", "Authorization", KEY),
        env.post("/v1/chat/completions", HI.replace("primary", "nonexistent"), "Authorization", KEY),
        env.post("/v1/chat/completions", HI),
        env.post("/v1/chat/completions", HI, "Authorization", "Bearer wrong"),
        env.post("/v1/chat/completions", "{\"pad\":\"" + "x".repeat(2000) + "\"}", "Authorization", KEY),
        env.get("/v1/models", "Authorization", KEY),
        env.get("/v1/models/primary", "Authorization", KEY),
        env.get("/v1/chat/completions", "Authorization", KEY),
        env.post("/v1/assistants", "{}"),
        env.get("/health"),
        env.get("/metrics"));

    Set<String> ids = new HashSet<>();
    for (HttpResponse<String> answer : answers) {
      String what = answer.request().method() + " " + answer.request().uri().getPath() + " -> " + answer.statusCode();
      assertThat(answer.headers().firstValue("x-request-id")).as(what).hasValueSatisfying(id -> assertThat(id).matches(UUID));
      ids.add(answer.headers().firstValue("x-request-id").orElseThrow());
    }
    assertThat(answers).extracting(HttpResponse::statusCode)
        .containsExactly(200, 200, 200, 200, 400, 404, 401, 401, 413, 200, 200, 405, 404, 200, 200);
    assertThat(ids).as("one id per request").hasSize(answers.size());
  }

  @Test
  void aCallersOwnIdComesBackOnTheAnswerAndOnItsStream() throws Exception {
    HttpResponse<String> plain = env.post("/v1/chat/completions", HI, "Authorization", KEY,
        "x-request-id", "caller-trace-1");
    HttpResponse<String> refused = env.post("/v1/chat/completions", HI, "x-request-id", "caller-trace-2");
    HttpResponse<String> streamed = env.post("/v1/chat/completions",
        HI.replace("\"messages\"", "\"stream\":true,\"messages\""), "Authorization", KEY, "x-request-id", "caller-trace-3");

    assertThat(plain.headers().firstValue("x-request-id")).hasValue("caller-trace-1");
    assertThat(refused.headers().firstValue("x-request-id")).hasValue("caller-trace-2");
    assertThat(streamed.headers().firstValue("x-request-id")).hasValue("caller-trace-3");
    assertThat(streamed.body()).endsWith("data: [DONE]\n\n");
  }

  @Test
  void aBodyRefusedFromItsLengthUnreadStillCarriesAnId() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), env.gateway.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "x-request-id: big-one\r\nContent-Length: " + (64L * 1024 * 1024) + "\r\n\r\n{\"model\":")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();

      String response = GatewayHttpTest.readSome(socket.getInputStream());

      assertThat(response).startsWith("HTTP/1.1 413").containsIgnoringCase("x-request-id: big-one");
    }
  }

  @Test
  void theMasterKeyIsAlsoAcceptedAsAnthropicsXApiKey() throws Exception {
    HttpResponse<String> answer = env.post("/v1/chat/completions", HI, "x-api-key", "gateway-master");

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(env.primary.lastRequest().header("x-api-key")).as("the caller's key is never sent upstream").isNull();
  }
}
