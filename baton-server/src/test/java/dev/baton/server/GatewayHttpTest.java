package dev.baton.server;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static dev.baton.testkit.OpenAiFixtures.error;
import static dev.baton.testkit.OpenAiFixtures.numberedStream;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.testkit.Reply;
import dev.baton.wire.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP front door under bad input, disconnects and shutdown, seen from raw HTTP and raw sockets. */
class GatewayHttpTest {

  TestGateway env;

  @BeforeEach
  void start() {
    env = new TestGateway("""
          max_body: 1MB
        """);
    env.primary.always(Reply.json(200, chatCompletion("primary-model", "fine")));
  }

  @AfterEach
  void stop() {
    env.close();
  }

  void assertStillServing() throws Exception {
    HttpResponse<String> ok = env.post("/v1/chat/completions",
        "{\"model\":\"primary\",\"messages\":[{\"role\":\"user\",\"content\":\"still there?\"}]}");
    assertThat(ok.statusCode()).as("the gateway answers the next request").isEqualTo(200);
  }

  static JsonNode errorOf(HttpResponse<String> response) throws IOException {
    JsonNode error = Json.parse(response.body().getBytes(StandardCharsets.UTF_8)).get("error");
    assertThat(error).as("OpenAI-shaped error body: " + response.body()).isNotNull();
    assertThat(error.has("message") && error.has("type") && error.has("param") && error.has("code")).isTrue();
    return error;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "malformed JSON             | {\"model\": \"primary\", \"messages\": [            | ",
      "null                       | null                                                 | ",
      "an array                   | []                                                   | ",
      "an empty body              | ''                                                   | ",
      "no model                   | {\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | model",
      "a model that is a number   | {\"model\":7,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | model",
      "no messages                | {\"model\":\"primary\"}                              | messages",
      "messages that are a string | {\"model\":\"primary\",\"messages\":\"hi\"}          | messages",
      "an unknown role            | {\"model\":\"primary\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]} | messages[0].role",
      "a temperature that is text | {\"model\":\"primary\",\"temperature\":\"hot\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | temperature"})
  void badInputIsA400ThatNamesTheProblemAndNothingGoesUpstream(String what, String body, String param)
      throws Exception {

    HttpResponse<String> response = env.post("/v1/chat/completions", body == null ? "" : body);

    assertThat(response.statusCode()).as(what).isEqualTo(400);
    JsonNode error = errorOf(response);
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    if (param != null) {
      assertThat(error.get("param").asText()).isEqualTo(param);
    }
    assertThat(env.primary.requests()).isEmpty();
    assertStillServing();
  }

  @Test
  void aBodyOverMaxBodyIsA413DecidedFromItsLengthWithoutReadingIt() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), env.gateway.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + (64L * 1024 * 1024) + "\r\n\r\n{\"model\":").getBytes(StandardCharsets.US_ASCII));
      out.flush();

      String response = readSome(socket.getInputStream());

      assertThat(response).startsWith("HTTP/1.1 413").contains("request_too_large");
    }
    assertStillServing();
  }

  @Test
  void aChunkedBodyOverMaxBodyIsA413AndItsConnectionIsClosed() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), env.gateway.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[64 * 1024];
      java.util.Arrays.fill(chunk, (byte) ' ');
      String response = "";
      try {
        for (int i = 0; i < 1024; i++) {
          out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
      } catch (IOException closedByServer) {
        // expected once the gateway has answered and closed
      }
      response = readSome(socket.getInputStream());

      assertThat(response).startsWith("HTTP/1.1 413");
    }
    assertStillServing();
  }

  @Test
  void aHeaderFloodIsRefusedAndTheServerStaysUp() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), env.gateway.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      StringBuilder request = new StringBuilder("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n");
      for (int i = 0; i < 5000; i++) {
        request.append("X-Flood-").append(i).append(": ").append("x".repeat(40)).append("\r\n");
      }
      String response;
      try {
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        response = readSome(socket.getInputStream());
      } catch (IOException closed) {
        response = "closed";
      }

      assertThat(response).matches("(?s)(HTTP/1.1 4\\d\\d.*|closed)");
    }
    assertStillServing();
  }

  @Test
  void aClientThatNeverFinishesItsBodyLosesItsConnection() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), env.gateway.port())) {
      socket.setSoTimeout(8000);
      assertASlowBodyIsCutOff(socket, "closed (or answered with an error) after read_timeout, not held forever");
    }
    assertStillServing();
  }

  /** Sends a request whose body never finishes on {@code socket}: the gateway must let go of it in time. */
  static void assertASlowBodyIsCutOff(Socket socket, String what) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: 100\r\n\r\n{\"model\":").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    long start = System.nanoTime();

    String response;
    try {
      response = readSome(socket.getInputStream());
    } catch (SocketTimeoutException e) {
      response = "still open";
    }

    assertThat(response).as(what).isNotEqualTo("still open");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as(what).isLessThan(Duration.ofSeconds(7));
  }

  @Test
  void aKeptAliveConnectionKeepsItsBodyDeadlinePerRequest() throws Exception {
    String body = "{\"model\":\"primary\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    byte[] whole = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), env.gateway.port())) {
      socket.setSoTimeout(8000);
      OutputStream out = socket.getOutputStream();
      out.write(whole);
      assertThat(readSome(socket.getInputStream())).startsWith("HTTP/1.1 200");
      Thread.sleep(2500); // longer than read_timeout (2 s) after the first body's deadline was set

      int half = whole.length - body.length() / 2;
      out.write(whole, 0, half);
      out.flush();
      Thread.sleep(300); // the body read waits: long enough for the watchdog to look at it many times
      out.write(whole, half, whole.length - half);
      assertThat(readSome(socket.getInputStream())).as("an earlier request's deadline does not cut off a later one")
          .startsWith("HTTP/1.1 200");

      assertASlowBodyIsCutOff(socket, "a slow body on a connection that served others is still cut off after read_timeout");
    }
    assertStillServing();
  }

  @Test
  void aClientThatLeavesMidStreamClosesTheUpstreamConnection() throws Exception {
    env.special.always(Reply.sse(numberedStream("special-model", 200)).chunkEvery(Duration.ofMillis(30)));
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), env.gateway.port())) {
      socket.setSoTimeout(5000);
      String body = "{\"model\":\"special\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"count\"}]}";
      socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: "
          + "application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
          .getBytes(StandardCharsets.US_ASCII));
      assertThat(readSome(socket.getInputStream())).contains("text/event-stream");
      env.special.awaitRequests(1, Duration.ofSeconds(5));
    }

    env.special.awaitNoOpenConnections(Duration.ofSeconds(5));
    assertStillServing();
  }

  @Test
  void aStreamThatCannotBeCompletedEndsWithAnErrorEventAndNoDone() throws Exception {
    env.special.always(Reply.sse(numberedStream("special-model", 20)).cutAfter(4));

    HttpResponse<String> response = env.post("/v1/chat/completions",
        "{\"model\":\"special\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"count\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("data: {\"error\":{").doesNotContain("[DONE]");
  }

  @Test
  void unknownFieldsReachTheUpstreamAsTheyAreAndTheFallbacksFieldDoesNot() throws Exception {
    env.post("/v1/chat/completions", "{\"model\":\"primary\",\"logit_bias\":{\"50256\":-100},\"service_tier\":"
        + "\"flex\",\"fallbacks\":[\"special\"],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    JsonNode sent = Json.parse(env.primary.lastRequest().body());
    assertThat(sent.get("model").asText()).isEqualTo("primary-model");
    assertThat(sent.get("logit_bias").get("50256").asInt()).isEqualTo(-100);
    assertThat(sent.get("service_tier").asText()).isEqualTo("flex");
    assertThat(sent.has("fallbacks")).isFalse();
  }

  @Test
  void theFallbacksFieldSetsThisRequestsFallbacks() throws Exception {
    env.primary.always(Reply.json(503, error("down", "server_error", null)));
    env.special.always(Reply.json(200, chatCompletion("special-model", "from special")));

    HttpResponse<String> response = env.post("/v1/chat/completions", "{\"model\":\"primary\",\"fallbacks\":"
        + "[\"special\"],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.headers().firstValue("x-baton-model")).hasValue("special");
    assertThat(env.fallback.requests()).isEmpty();
  }

  @Test
  void noUpstreamKeyAppearsInAnAnswerAHeaderOrALogLine() throws Exception {
    env.primary.always(Reply.json(401, error("Incorrect API key provided: " + TestGateway.PRIMARY_KEY,
        "invalid_request_error", "invalid_api_key")));
    env.fallback.always(Reply.json(401, error("Bad key " + TestGateway.FALLBACK_KEY + " for this org",
        "invalid_request_error", "invalid_api_key")));
    PrintStream err = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    HttpResponse<String> response;
    try {
      response = env.post("/v1/chat/completions",
          "{\"model\":\"primary\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    } finally {
      System.setErr(err);
    }

    String everything = response.body() + response.headers().map() + log.toString(StandardCharsets.UTF_8);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(everything).doesNotContain(TestGateway.PRIMARY_KEY).doesNotContain(TestGateway.FALLBACK_KEY)
        .doesNotContain("upstream-key-0123456789");
  }

  @Test
  void healthNeedsNoKeyAndMetricsCountRequestsAttemptsAndFallbacks() throws Exception {
    try (TestGateway locked = new TestGateway("""
          master_key: secret-master
        """)) {
      locked.primary.always(Reply.json(503, error("down", "server_error", null)));
      locked.fallback.always(Reply.json(200, chatCompletion("fallback-model", "ok")));
      locked.post("/v1/chat/completions", "{\"model\":\"primary\",\"messages\":[{\"role\":\"user\","
          + "\"content\":\"hi\"}]}", "Authorization", "Bearer secret-master");

      HttpResponse<String> health = locked.get("/health");
      HttpResponse<String> metrics = locked.get("/metrics");
      HttpResponse<String> unauthorized = locked.get("/v1/models");

      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(unauthorized.statusCode()).isEqualTo(401);
      assertThat(metrics.body())
          .contains("baton_requests_total{model=\"primary\",route=\"/v1/chat/completions\",status=\"200\"} 1.0")
          .contains("baton_attempts_total{deployment=\"primary\",error=\"server_error\"")
          .contains("baton_fallbacks_total{from=\"primary\",reason=\"server_error\",to=\"fallback\"} 1.0")
          .contains("baton_retries_total{deployment=\"primary\"")
          .contains("baton_circuit_state{deployment=\"primary\"}")
          .contains("baton_request_duration_seconds_bucket")
          .contains("baton_tokens_total{direction=\"in\",model=\"primary\"} 11.0");
    }
  }

  @Test
  void unknownRoutesAndWrongMethodsGetOpenAiShapedErrors() throws Exception {
    HttpResponse<String> unknown = env.post("/v1/assistants", "{}");
    HttpResponse<String> wrongMethod = env.get("/v1/chat/completions");

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(errorOf(unknown).get("code").asText()).isEqualTo("unknown_url");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(errorOf(wrongMethod).get("code").asText()).isEqualTo("method_not_allowed");
  }

  @Test
  void shuttingDownLetsAnInFlightStreamFinishAndTurnsNewRequestsAway() throws Exception {
    env.special.always(Reply.sse(numberedStream("special-model", 20)).chunkEvery(Duration.ofMillis(50)));
    CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
      try {
        return env.post("/v1/chat/completions",
            "{\"model\":\"special\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"count\"}]}");
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    env.special.awaitRequests(1, Duration.ofSeconds(5));
    CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> env.gateway.shutdown(Duration.ofSeconds(10)));
    Thread.sleep(100);

    HttpResponse<String> turnedAway = env.post("/v1/chat/completions",
        "{\"model\":\"primary\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(turnedAway.statusCode()).isEqualTo(503);
    assertThat(inFlight.get().body()).contains("t19 ").endsWith("data: [DONE]\n\n");
    shutdown.get();
  }

  /** Reads what has arrived within the socket's timeout, or until the server closes. */
  static String readSome(InputStream in) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        seen.write(buffer, 0, n);
        if (seen.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n") && in.available() == 0) {
          break;
        }
      }
    } catch (SocketTimeoutException e) {
      if (seen.size() == 0) {
        throw e;
      }
    } catch (java.net.SocketException e) {
      if (seen.size() == 0) {
        return "closed";
      }
    }
    return seen.toString(StandardCharsets.ISO_8859_1);
  }
}
