package dev.baton.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Attempt;
import dev.baton.InvalidRequestException;
import dev.baton.RateLimitedException;
import dev.baton.UpstreamException;
import dev.baton.Usage;
import dev.baton.catalogue.Pricing;
import dev.baton.store.AttemptRecord;
import dev.baton.store.Limits;
import dev.baton.store.RequestRecord;
import dev.baton.store.keys.KeyContext;
import dev.baton.store.limits.Enforcer;
import dev.baton.store.limits.LocalCounters;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class SpendRecordTest {

  static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  /** $2 in and $10 out per million tokens, for the deployment {@code fast}. */
  static final Costs COSTS = new Costs(d -> d.equals("fast") ? Optional.of(new Pricing(2.0, 10.0, null, null))
      : Optional.empty());

  static final KeyContext TEAM_KEY = TestKeys.key("key_1", Limits.NONE, TestKeys.team("team_1", Limits.NONE));

  final List<RequestRecord> rows = new ArrayList<>();

  static Attempt failed(String deployment) {
    UpstreamException e = new RateLimitedException(UpstreamException.Source.of(deployment, "openai"),
        "429: Rate limit reached for requests");
    return new Attempt(deployment, deployment, "openai", deployment + "-model", Attempt.Outcome.FAILED, e,
        Duration.ofMillis(12));
  }

  static Attempt answered(String deployment) {
    return new Attempt(deployment, deployment, "openai", deployment + "-model", Attempt.Outcome.SUCCEEDED, null,
        Duration.ofMillis(30));
  }

  /** Answers after {@code smart} failed and {@code fast} answered with 1,000 tokens in and 500 out. */
  final TestEndpoint fallback = new TestEndpoint(exchange -> {
    exchange.answered("fast", List.of(failed("smart"), answered("fast")), Usage.of(1000, 500));
    exchange.http().send("{\"answer\":\"Hello\"}".getBytes(StandardCharsets.UTF_8));
  });

  TestCall serve(Caller caller, Endpoint endpoint, boolean storeContent, Filter... inner) {
    TestCall call = TestCall.post("/v1/chat/completions", "{\"model\":\"smart\",\"messages\":[]}")
        .header("x-request-id", "req-abc");
    Pipeline.Builder pipeline = Pipeline.builder()
        .requestId(new RequestId())
        .bodyLimit(new BodyLimit(1 << 20, Duration.ofSeconds(5)))
        .auth((exchange, chain) -> {
          exchange.caller(caller);
          chain.proceed();
        })
        .spendRecord(new SpendRecord(rows::add, COSTS, CLOCK, storeContent));
    if (inner.length > 0) {
      pipeline.keyLimits(inner[0]);
    }
    pipeline.build().serve(call, "/v1/chat/completions", endpoint);
    return call;
  }

  @Test
  void anAnsweredRequestIsOneRowWithWhoAskedWhoAnsweredTheTrailTokensAndCost() {
    serve(new VirtualKeyCaller(TEAM_KEY), fallback, false);

    assertThat(rows).hasSize(1);
    RequestRecord row = rows.get(0);
    assertThat(row.id()).startsWith("req_");
    assertThat(row.time()).isEqualTo(NOW);
    assertThat(row.keyId()).isEqualTo("key_1");
    assertThat(row.teamId()).isEqualTo("team_1");
    assertThat(row.route()).isEqualTo("/v1/chat/completions");
    assertThat(row.model()).as("the model asked for").isEqualTo("smart");
    assertThat(row.answeredBy()).isEqualTo("fast");
    assertThat(row.attempts()).containsExactly(
        new AttemptRecord("smart", "rate_limited", "429: Rate limit reached for requests", 12),
        new AttemptRecord("fast", "success", null, 30));
    assertThat(row.inputTokens()).isEqualTo(1000);
    assertThat(row.outputTokens()).isEqualTo(500);
    assertThat(row.costUsd()).as("fast's prices x its usage").isCloseTo(0.007, Offset.offset(1e-12));
    assertThat(row.status()).isEqualTo(200);
    assertThat(row.requestId()).isEqualTo("req-abc");
    assertThat(row.error()).isNull();
    assertThat(row.cache()).isNull();
    assertThat(row.prompt()).as("content is kept only with logging.store_content").isNull();
    assertThat(row.answer()).isNull();
  }

  @Test
  void theMasterKeysRequestsAreLoggedWithoutAKey() {
    serve(Caller.MASTER, fallback, false);

    assertThat(rows).singleElement().satisfies(row -> {
      assertThat(row.keyId()).isNull();
      assertThat(row.teamId()).isNull();
      assertThat(row.costUsd()).isPositive();
    });
  }

  @Test
  void aRequestRefusedForItsBudgetIsLoggedWithItsStatusAndWhy() {
    KeyContext key = TestKeys.key("key_1", TestKeys.limits(List.of(), null, null, 0.001));
    Enforcer enforcer = new Enforcer(new LocalCounters(), CLOCK);
    KeyLimits limits = new KeyLimits(enforcer::admit, COSTS);
    serve(new VirtualKeyCaller(key), fallback, false, limits);

    serve(new VirtualKeyCaller(key), fallback, false, limits);

    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).costUsd()).as("the same cost the budget counted").isCloseTo(enforcer.spendUsd(key.key()),
        Offset.offset(1e-12));
    RequestRecord refused = rows.get(1);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.error()).isEqualTo("budget_exceeded");
    assertThat(refused.model()).isEqualTo("smart");
    assertThat(refused.costUsd()).isZero();
    assertThat(refused.attempts()).isEmpty();
  }

  @Test
  void aBadRequestIsLoggedToo() {
    serve(Caller.MASTER, new TestEndpoint(exchange -> {
      throw new InvalidRequestException("messages: must not be empty", "messages");
    }), false);

    assertThat(rows).singleElement().satisfies(row -> {
      assertThat(row.status()).isEqualTo(400);
      assertThat(row.answeredBy()).isNull();
      assertThat(row.costUsd()).isZero();
    });
  }

  @Test
  void aListingThatAskedForNoModelIsNotLogged() {
    TestCall call = TestCall.get("/v1/models");
    Pipeline.builder()
        .auth((exchange, chain) -> {
          exchange.caller(Caller.MASTER);
          chain.proceed();
        })
        .spendRecord(new SpendRecord(rows::add, COSTS, CLOCK, false))
        .build()
        .serve(call, "/v1/models", new Endpoint() {
          @Override
          public ErrorShape errors() {
            return TestEndpoint.SHAPE;
          }

          @Override
          public void answer(Exchange exchange) {
            exchange.http().send("{\"data\":[]}".getBytes(StandardCharsets.UTF_8));
          }
        });

    assertThat(call.status()).isEqualTo(200);
    assertThat(rows).isEmpty();
  }

  @Test
  void withStoreContentTheRowKeepsTheRequestAndTheAnswer() {
    TestEndpoint keeping = new TestEndpoint(exchange -> {
      assertThat(exchange.keepsContent()).as("the door is asked to keep its answer").isTrue();
      exchange.body(); // as a door's read step does
      exchange.answered("fast", List.of(answered("fast")), Usage.of(1, 1));
      exchange.answerContent("Hello there");
      exchange.http().send("{}".getBytes(StandardCharsets.UTF_8));
    });

    serve(Caller.MASTER, keeping, true);

    assertThat(rows).singleElement().satisfies(row -> {
      assertThat(row.prompt()).isEqualTo("{\"model\":\"smart\",\"messages\":[]}");
      assertThat(row.answer()).isEqualTo("Hello there");
    });
  }

  @Test
  void withoutStoreContentTheDoorIsNotAskedToKeepItsAnswer() {
    List<Boolean> asked = new ArrayList<>();
    serve(Caller.MASTER, new TestEndpoint(exchange -> {
      asked.add(exchange.keepsContent());
      exchange.http().send(new byte[0]);
    }), false);

    assertThat(asked).containsExactly(false);
  }

  @Test
  void aCacheHitIsLoggedAsSuchAndCostsNothing() {
    serve(Caller.MASTER, new TestEndpoint(exchange -> {
      exchange.cache(CacheStatus.HIT);
      exchange.answered("fast", List.of(), Usage.of(1000, 500));
      exchange.http().send(new byte[0]);
    }), false);

    assertThat(rows).singleElement().satisfies(row -> {
      assertThat(row.cache()).isEqualTo("hit");
      assertThat(row.costUsd()).isZero();
      assertThat(row.inputTokens()).isZero();
    });
  }
}
