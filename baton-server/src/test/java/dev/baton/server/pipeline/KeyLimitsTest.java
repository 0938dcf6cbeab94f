package dev.baton.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.ChatRequest;
import dev.baton.Usage;
import dev.baton.catalogue.Pricing;
import dev.baton.store.Limits;
import dev.baton.store.keys.KeyContext;
import dev.baton.store.limits.Enforcer;
import dev.baton.store.limits.LocalCounters;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyLimitsTest {

  /** $2 in and $10 out per million tokens: 1,000 in and 500 out cost $0.007. */
  static final Pricing PRICES = new Pricing(2.0, 10.0, null, null);

  final Enforcer enforcer = new Enforcer(new LocalCounters(),
      Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC));
  final KeyLimits limits = new KeyLimits(enforcer::admit,
      new Costs(deployment -> deployment.equals("smart") ? Optional.of(PRICES) : Optional.empty()));
  int answered;

  /** A door that answers {@code smart} with 1,000 tokens in and 500 out. */
  final TestEndpoint door = new TestEndpoint(exchange -> {
    answered++;
    exchange.answered("smart", List.of(), Usage.of(1000, 500));
    exchange.http().send("answered".getBytes(StandardCharsets.UTF_8));
  });

  TestCall serve(Caller caller, Endpoint endpoint) {
    TestCall call = TestCall.post("/v1/chat/completions", "{}");
    Pipeline.builder()
        .auth((exchange, chain) -> {
          exchange.caller(caller);
          chain.proceed();
        })
        .keyLimits(limits)
        .build()
        .serve(call, "/v1/chat/completions", endpoint);
    return call;
  }

  static VirtualKeyCaller caller(Limits limits) {
    return new VirtualKeyCaller(TestKeys.key("key_1", limits));
  }

  @Test
  void theMasterKeyAndAnOpenGatewaysCallersPassUntouched() {
    assertThat(serve(Caller.MASTER, door).status()).isEqualTo(200);
    TestCall open = serve(Caller.ANONYMOUS, door);

    assertThat(open.status()).isEqualTo(200);
    assertThat(open.answerHeader("x-ratelimit-limit-requests")).isNull();
    assertThat(answered).isEqualTo(2);
  }

  @Test
  void aModelOutsideTheKeysModelsIsA403NamingTheParameterAndTheDoorNeverAnswers() {
    TestCall call = serve(caller(TestKeys.limits(List.of("fast"), null, null, null)), door);

    assertThat(call.status()).isEqualTo(403);
    assertThat(call.answerBody()).isEqualTo("shape=test status=403 code=model_not_allowed");
    assertThat(answered).isZero();
    assertThat(door.steps).containsExactly("read");
  }

  @Test
  void aRequestsOwnFallbacksMayNotNameAModelOutsideTheKeysModels() {
    TestCall call = serve(caller(TestKeys.limits(List.of("smart", "fast"), null, null, null)),
        reading(ChatRequest.builder().model("smart").user("hi").fallbacks(List.of("fast", "premium")).build()));

    assertThat(call.status()).isEqualTo(403);
    assertThat(call.answerBody()).isEqualTo("shape=test status=403 code=model_not_allowed");
    assertThat(answered).isZero();
  }

  @Test
  void fallbacksWithinTheKeysModelsAreFine() {
    TestCall call = serve(caller(TestKeys.limits(List.of("smart", "fast"), null, null, null)),
        reading(ChatRequest.builder().model("smart").user("hi").fallbacks(List.of("fast")).build()));

    assertThat(call.status()).isEqualTo(200);
    assertThat(answered).isEqualTo(1);
  }

  /** A door that reads this request and answers it. */
  Endpoint reading(ChatRequest request) {
    return new Endpoint() {
      @Override
      public ErrorShape errors() {
        return TestEndpoint.SHAPE;
      }

      @Override
      public void read(Exchange exchange) {
        exchange.request(request.model(), false, request);
      }

      @Override
      public void answer(Exchange exchange) throws java.io.IOException {
        door.answer(exchange);
      }
    };
  }

  @Test
  void aKeyWithLimitsGetsItsRateLimitHeadersOnEveryAnswer() {
    TestCall call = serve(caller(TestKeys.limits(List.of(), 3L, 100_000L, null)), door);

    assertThat(call.status()).isEqualTo(200);
    assertThat(call.answerHeader("x-ratelimit-limit-requests")).isEqualTo("3");
    assertThat(call.answerHeader("x-ratelimit-remaining-requests")).isEqualTo("2");
    assertThat(call.answerHeader("x-ratelimit-limit-tokens")).isEqualTo("100000");
  }

  @Test
  void theHeadersAreOnAFailedAnswerToo() {
    TestCall call = serve(caller(TestKeys.limits(List.of(), 3L, null, null)), new TestEndpoint(exchange -> {
      throw new dev.baton.NoDeploymentAvailableException("every deployment is cooling down", java.time.Duration.ofSeconds(2), false);
    }));

    assertThat(call.status()).isEqualTo(503);
    assertThat(call.answerHeader("x-ratelimit-limit-requests")).isEqualTo("3");
  }

  @Test
  void overItsRpmAKeyGets429WithRetryAfterAndTheDoorNeverAnswers() {
    VirtualKeyCaller key = caller(TestKeys.limits(List.of(), 2L, null, null));
    serve(key, door);
    serve(key, door);

    TestCall third = serve(key, door);

    assertThat(third.status()).isEqualTo(429);
    assertThat(third.answerBody()).isEqualTo("shape=test status=429 code=rate_limit_exceeded");
    assertThat(third.answerHeader("retry-after")).isNotNull();
    assertThat(Long.parseLong(third.answerHeader("retry-after"))).isBetween(1L, 60L);
    assertThat(third.answerHeader("x-ratelimit-remaining-requests")).isEqualTo("0");
    assertThat(answered).isEqualTo(2);
  }

  @Test
  void theAnswersTokensCountAgainstTheKeysTpm() {
    VirtualKeyCaller key = caller(TestKeys.limits(List.of(), null, 1500L, null));
    assertThat(serve(key, door).status()).isEqualTo(200);

    TestCall next = serve(key, door);

    assertThat(next.status()).as("the first answer's 1,500 tokens filled the window").isEqualTo(429);
    assertThat(next.answerHeader("x-ratelimit-remaining-tokens")).isEqualTo("0");
  }

  @Test
  void theAnswersCostCountsAgainstTheBudgetAndTheRequestAfterTheCrossingOneIsRefused() {
    KeyContext key = TestKeys.key("key_1", TestKeys.limits(List.of(), null, null, 0.01));
    VirtualKeyCaller caller = new VirtualKeyCaller(key);

    assertThat(serve(caller, door).status()).isEqualTo(200);
    assertThat(enforcer.spendUsd(key.key())).isCloseTo(0.007, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(serve(caller, door).status()).as("under the budget when it started").isEqualTo(200);
    assertThat(enforcer.spendUsd(key.key())).isCloseTo(0.014, org.assertj.core.data.Offset.offset(1e-9));

    TestCall refused = serve(caller, door);

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.answerBody()).isEqualTo("shape=test status=429 code=budget_exceeded");
    assertThat(refused.answerHeader("x-should-retry")).isEqualTo("false");
    assertThat(answered).isEqualTo(2);
  }

  @Test
  void aTeamsBudgetIsSharedByItsKeys() {
    var team = TestKeys.team("team_1", TestKeys.limits(List.of(), null, null, 0.005));
    VirtualKeyCaller first = new VirtualKeyCaller(TestKeys.key("key_1", Limits.NONE, team));
    VirtualKeyCaller second = new VirtualKeyCaller(TestKeys.key("key_2", Limits.NONE, team));
    serve(first, door);

    assertThat(serve(second, door).status()).isEqualTo(429);
  }

  @Test
  void aFailedAnswerCostsNothing() {
    KeyContext key = TestKeys.key("key_1", TestKeys.limits(List.of(), null, null, 1.0));
    serve(new VirtualKeyCaller(key), new TestEndpoint(exchange -> {
      throw new dev.baton.NoDeploymentAvailableException("every deployment is cooling down", java.time.Duration.ofSeconds(2), false);
    }));

    assertThat(enforcer.spendUsd(key.key())).isZero();
  }

  @Test
  void theAnswerIsCountedBeforeItsLastBytesGoOutSoTheNextRequestIsAlreadyRefused() {
    KeyContext key = TestKeys.key("key_1", TestKeys.limits(List.of(), null, null, 0.005));
    double[] spentWhenSending = new double[1];
    serve(new VirtualKeyCaller(key), new TestEndpoint(exchange -> {
      exchange.answered("smart", List.of(), Usage.of(1000, 500));
      spentWhenSending[0] = enforcer.spendUsd(key.key());
      exchange.http().send("answered".getBytes(StandardCharsets.UTF_8));
    }));

    assertThat(spentWhenSending[0]).as("spend counted when the door recorded the answer, before sending it")
        .isEqualTo(0.007);
    assertThat(enforcer.spendUsd(key.key())).as("and counted once").isEqualTo(0.007);
    assertThat(serve(new VirtualKeyCaller(key), door).status()).isEqualTo(429);
  }

  @Test
  void aCacheHitCostsNothingAndUsesNoTokens() {
    KeyContext key = TestKeys.key("key_1", TestKeys.limits(List.of(), null, 1000L, 1.0));
    TestEndpoint cached = new TestEndpoint(exchange -> {
      exchange.cache(CacheStatus.HIT);
      exchange.answered("smart", List.of(), Usage.of(1000, 500));
      exchange.http().send("cached".getBytes(StandardCharsets.UTF_8));
    });
    serve(new VirtualKeyCaller(key), cached);

    assertThat(enforcer.spendUsd(key.key())).isZero();
    assertThat(serve(new VirtualKeyCaller(key), cached).status()).as("no tokens were counted").isEqualTo(200);
  }

  @Test
  void aRouteWithoutAModelPassesUntouched() {
    Endpoint listing = new Endpoint() {
      @Override
      public ErrorShape errors() {
        return TestEndpoint.SHAPE;
      }

      @Override
      public void answer(Exchange exchange) {
        exchange.http().send(new byte[0]);
      }
    };
    TestCall call = serve(caller(TestKeys.limits(List.of("fast"), 1L, null, null)), listing);

    assertThat(call.status()).isEqualTo(200);
    assertThat(call.answerHeader("x-ratelimit-limit-requests")).isNull();
  }
}
