package dev.baton.provider.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.ChatChunk;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.config.Environment;
import dev.baton.config.ModelConfig;
import dev.baton.provider.Call;
import dev.baton.provider.Provider;
import dev.baton.provider.ProviderContext;
import dev.baton.provider.ProviderTests;
import dev.baton.testkit.FakeGoogleAuth;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.RecordedRequest;
import dev.baton.testkit.Reply;
import dev.baton.testkit.VertexFixtures;
import dev.baton.transport.HttpTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A Vertex AI deployment pointed at two fakes over real HTTP — Google's token endpoint and Vertex AI —
 * with a service-account file naming the first, and a clock the test moves. The fake Vertex AI answers
 * 401 UNAUTHENTICATED to any bearer token the fake token endpoint did not issue.
 */
final class Harness implements AutoCloseable {

  static final String LOCATION = "us-east5";

  final FakeGoogleAuth auth = FakeGoogleAuth.start();
  final FakeUpstream vertex = FakeUpstream.start();
  final HttpTransport http = new HttpTransport();
  final MovableClock clock = new MovableClock(Instant.parse("2026-12-04T10:00:00Z"));
  final Path dir;
  final Path credentials;
  private Provider provider;

  Harness(String model) {
    try {
      dir = Files.createTempDirectory("vertex-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    credentials = auth.writeServiceAccount(dir);
    provider = create(deployment(model).build());
  }

  /** A deployment of {@code model} on the fake Vertex AI, with the service-account file and short limits. */
  ModelConfig.Builder deployment(String model) {
    return ModelConfig.builder("v", VertexFactory.NAME, model)
        .apiBase(vertex.url())
        .option(VertexFactory.CREDENTIALS, credentials.toString())
        .option(VertexFactory.LOCATION, LOCATION)
        .timeout(Duration.ofSeconds(5))
        .idleTimeout(Duration.ofSeconds(2));
  }

  Provider create(ModelConfig config) {
    return create(config, Map.of());
  }

  Provider create(ModelConfig config, Map<String, String> environment) {
    return new VertexFactory(clock).create(config, new ProviderContext(Environment.of(environment), http));
  }

  Provider provider() {
    return provider;
  }

  /** Answers every request whose bearer token the fake token endpoint issued with {@code reply}. */
  void answer(Reply reply) {
    answer(request -> reply);
  }

  void answer(Function<RecordedRequest, Reply> replies) {
    vertex.respond(request -> auth.isValid(request.header("authorization"))
        ? replies.apply(request)
        : Reply.json(401, VertexFixtures.UNAUTHENTICATED));
  }

  static Call call() {
    return new Call("v", VertexFactory.NAME, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2),
        Long.MAX_VALUE);
  }

  ChatResponse chat(ChatRequest request) {
    return provider.chat(request, call());
  }

  List<ChatChunk> stream(ChatRequest request) {
    return ProviderTests.drain(provider.streamChat(request, call()));
  }

  RecordedRequest last() {
    return vertex.lastRequest();
  }

  JsonNode lastBody() {
    return ProviderTests.body(vertex.lastRequest());
  }

  @Override
  public void close() {
    provider.close();
    http.close();
    vertex.close();
    auth.close();
  }

  /** A clock that stands still until a test moves it. */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
