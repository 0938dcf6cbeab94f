package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.RedisServer;
import dev.baton.testkit.Reply;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three gateways configured with one {@code redis:} url behave as one (contract section 8): a circuit
 * opened through one is open on all within 2 s; when Redis is killed, restarted or hung, every gateway
 * goes on answering, logs one warning per outage, says {@code "redis": "down"} in {@code /health} (still
 * 200) and reconnects by itself.
 */
class SeveralGatewaysTest {

  private static final String CHAT = "{\"model\": \"primary\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";

  private final RedisServer redis = RedisServer.start();
  private final FakeUpstream primary = FakeUpstream.start();
  private final FakeUpstream backup = FakeUpstream.start();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<Gateway> gateways = new ArrayList<>();

  @BeforeEach
  void start() {
    backup.always(Reply.json(200, OpenAiFixtures.chatCompletion("backup-model", "from the backup")));
    String yaml = """
        server:
          host: 127.0.0.1
          port: 0
        redis:
          url: %s
        models:
          - name: primary
            provider: openai-compatible
            model: primary-model
            api_base: %s/v1
          - name: backup
            provider: openai-compatible
            model: backup-model
            api_base: %s/v1
        router:
          retries: 0
          fallbacks:
            primary: [backup]
          cooldown:
            failures: 2
            window: 60s
            duration: 60s
        """.formatted(redis.url(), primary.url(), backup.url());
    for (int i = 0; i < 3; i++) {
      gateways.add(TestGateway.start(yaml));
    }
  }

  @AfterEach
  void stop() {
    gateways.forEach(Gateway::close);
    http.close();
    primary.close();
    backup.close();
    redis.close();
  }

  @Test
  void aCircuitOpenedThroughOneGatewayIsOpenOnAllWithinTwoSeconds() throws Exception {
    primary.always(Reply.json(500, OpenAiFixtures.error("upstream exploded", "server_error", "internal")));
    for (int n = 0; n < 2; n++) {
      HttpResponse<String> answer = chat(gateways.get(0));
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.headers().firstValue("x-baton-model")).as("fell back").contains("backup");
    }
    int before = primary.requests().size();
    for (int i : new int[] {1, 2}) {
      Gateway gateway = gateways.get(i);
      within(Duration.ofSeconds(2), "gateway " + i + " opens the circuit gateway 0 opened",
          () -> metrics(gateway).contains("baton_circuit_state{deployment=\"primary\"} 1.0"));
      HttpResponse<String> answer = chat(gateway);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.headers().firstValue("x-baton-model")).contains("backup");
      assertThat(answer.headers().firstValue("x-baton-attempts")).as("no attempt on the open primary").contains("1");
    }
    assertThat(primary.requests()).as("requests the open primary received from gateways 1 and 2").hasSize(before);
  }

  @Test
  void redisKilledRestartedOrHungEveryGatewayAnswersWarnsOnceAndSaysSoInHealth() throws Exception {
    primary.always(Reply.json(200, OpenAiFixtures.chatCompletion("primary-model", "from the primary")));
    for (Gateway gateway : gateways) {
      assertHealth(gateway, "{\"status\":\"ok\",\"redis\":\"up\"}");
    }
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(new Tee(original, log), true, StandardCharsets.UTF_8));
    AtomicBoolean sending = new AtomicBoolean(true);
    AtomicInteger answered = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    List<Thread> senders = new ArrayList<>();
    try {
      for (Gateway gateway : gateways) {
        senders.add(Thread.ofVirtual().start(() -> {
          while (sending.get()) {
            try {
              HttpResponse<String> answer = chat(gateway);
              if (answer.statusCode() == 200 && answer.body().contains("from the primary")) {
                answered.incrementAndGet();
              } else {
                failures.add(answer.statusCode() + " " + answer.body());
              }
            } catch (Exception e) {
              failures.add(e.toString());
            }
          }
        }));
      }

      redis.kill();
      awaitHealth("{\"status\":\"degraded\",\"redis\":\"down\"}");
      redis.restart();
      awaitHealth("{\"status\":\"ok\",\"redis\":\"up\"}");
      redis.freeze();
      try {
        awaitHealth("{\"status\":\"degraded\",\"redis\":\"down\"}");
      } finally {
        redis.thaw();
      }
      awaitHealth("{\"status\":\"ok\",\"redis\":\"up\"}");
    } finally {
      sending.set(false);
      for (Thread sender : senders) {
        sender.join();
      }
      System.setErr(original);
    }
    assertThat(failures).as("requests that failed while Redis was away").isEmpty();
    assertThat(answered.get()).as("requests answered").isPositive();
    long warnings = log.toString(StandardCharsets.UTF_8).lines()
        .filter(line -> line.contains("WARN") && line.contains("does not answer")).count();
    assertThat(warnings).as("warnings logged: one per gateway per outage (killed, hung)").isEqualTo(6);
    assertThat(log.toString(StandardCharsets.UTF_8)).as("the log").doesNotContain("Exception");
  }

  private void awaitHealth(String expected) throws Exception {
    for (Gateway gateway : gateways) {
      within(Duration.ofSeconds(10), "gateway's /health says " + expected, () -> {
        HttpResponse<String> health = get(gateway, "/health");
        return health.statusCode() == 200 && health.body().equals(expected);
      });
    }
  }

  private void assertHealth(Gateway gateway, String expected) throws Exception {
    HttpResponse<String> health = get(gateway, "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo(expected);
  }

  private HttpResponse<String> chat(Gateway gateway) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/chat/completions"))
        .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(Gateway gateway, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(gateway.url() + path)).timeout(Duration.ofSeconds(5)).GET()
          .build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("GET " + path + " failed: " + e, e);
    }
  }

  private String metrics(Gateway gateway) {
    return get(gateway, "/metrics").body();
  }

  private static void within(Duration bound, String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + bound.toMillis() + " ms: " + what);
      }
      Thread.sleep(20);
    }
  }

  /** Writes to two streams: the real stderr and a capture. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] bytes, int off, int len) throws java.io.IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }
  }
}
