package dev.baton.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Attempt;
import dev.baton.NoDeploymentAvailableException;
import dev.baton.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pipeline on its own: its order, refusals in the route's shape, and the outcome seen after proceeding. */
class PipelineTest {

  final List<String> ran = new ArrayList<>();

  Filter noting(String name) {
    return (exchange, chain) -> {
      ran.add(name);
      chain.proceed();
    };
  }

  @Test
  void runsItsFiltersInTheOneOrderWhateverOrderTheyWereGivenIn() {
    TestEndpoint endpoint = new TestEndpoint(exchange -> {
      ran.add("answer, model " + exchange.model());
      exchange.http().send(new byte[0]);
    });
    Pipeline pipeline = Pipeline.builder()
        .keyLimits((exchange, chain) -> {
          ran.add("keyLimits, model " + exchange.model());
          chain.proceed();
        })
        .spendRecord((exchange, chain) -> {
          ran.add("spendRecord, model " + exchange.model());
          chain.proceed();
        })
        .auth(noting("auth"))
        .bodyLimit(noting("bodyLimit"))
        .draining(noting("draining"))
        .metrics(noting("metrics"))
        .accessLog(noting("accessLog"))
        .requestId(noting("requestId"))
        .build();

    pipeline.serve(TestCall.get("/v1/models"), "/v1/models", endpoint);

    assertThat(ran).containsExactly("requestId", "accessLog", "metrics", "draining", "bodyLimit", "auth",
        "spendRecord, model null", "keyLimits, model smart", "answer, model smart");
    assertThat(endpoint.steps).containsExactly("read", "answer");
  }

  @Test
  void theDoorReadsTheRequestOnlyAfterAuthentication() {
    TestEndpoint endpoint = new TestEndpoint();
    List<String> seen = new ArrayList<>();
    Pipeline pipeline = Pipeline.builder().auth((exchange, chain) -> {
      seen.add("auth sees model " + exchange.model());
      chain.proceed();
      seen.add("after the answer, model " + exchange.model());
    }).build();

    pipeline.serve(TestCall.get("/v1/models"), "/v1/models", endpoint);

    assertThat(seen).containsExactly("auth sees model null", "after the answer, model smart");
  }

  @Test
  void aFilterThatRefusesStopsTheRestAndItsRefusalTakesTheRoutesShape() {
    TestEndpoint endpoint = new TestEndpoint();
    TestCall call = TestCall.get("/v1/models");
    Pipeline pipeline = Pipeline.builder()
        .requestId(noting("requestId"))
        .auth((exchange, chain) -> {
          throw GatewayError.unauthorized();
        })
        .draining(noting("draining"))
        .build();

    pipeline.serve(call, "/v1/models", endpoint);

    assertThat(ran).containsExactly("requestId", "draining");
    assertThat(endpoint.steps).isEmpty();
    assertThat(call.status()).isEqualTo(401);
    assertThat(call.answerHeader("content-type")).isEqualTo("application/json");
    assertThat(call.answerBody()).isEqualTo("shape=test status=401 code=invalid_api_key");
  }

  @Test
  void everyFilterBeforeARefusalSeesItAsTheOutcomeOnceProceedReturns() {
    List<String> seen = new ArrayList<>();
    Pipeline pipeline = Pipeline.builder()
        .accessLog((exchange, chain) -> {
          chain.proceed();
          seen.add(exchange.status() + " " + exchange.error());
        })
        .bodyLimit((exchange, chain) -> {
          throw GatewayError.bodyTooLarge(10);
        })
        .build();
    TestCall call = TestCall.get("/v1/models");

    pipeline.serve(call, "/v1/models", new TestEndpoint());

    assertThat(seen).containsExactly("413 request_too_large");
    assertThat(call.answerHeader("connection")).isEqualTo("close");
  }

  @Test
  void aRouterFailureIsAnsweredInTheRoutesShapeWithItsStatusRetryAfterAndAttempts() {
    Attempt failed = new Attempt("smart", "smart", "openai", "gpt-4o", Attempt.Outcome.FAILED, null,
        Duration.ofMillis(3));
    TestEndpoint endpoint = new TestEndpoint(exchange -> {
      throw new NoDeploymentAvailableException("every deployment is at its limit", Duration.ofMillis(1500), true)
          .withAttempts(List.of(failed, failed));
    });
    List<String> seen = new ArrayList<>();
    Pipeline pipeline = Pipeline.builder().metrics((exchange, chain) -> {
      chain.proceed();
      seen.add(exchange.status() + " attempts=" + exchange.upstreamAttempts() + " error=" + exchange.error());
    }).build();
    TestCall call = TestCall.get("/v1/models");

    pipeline.serve(call, "/v1/models", endpoint);

    assertThat(call.answerBody()).isEqualTo("shape=test status=429 code=no_deployment_available");
    assertThat(call.answerHeader("retry-after")).isEqualTo("2");
    assertThat(seen).containsExactly("429 attempts=2 error=no_deployment_available");
  }

  @Test
  void aFilterBeforeTheDoorSeesTheAnswersFinalOutcomeOnceProceedReturns() {
    TestEndpoint endpoint = new TestEndpoint(exchange -> {
      exchange.answered("smart", List.of(), null);
      exchange.http().status(200);
      try (var out = exchange.http().stream()) {
        out.write("data: one\n\n".getBytes(StandardCharsets.UTF_8));
        out.write("data: two\n\n".getBytes(StandardCharsets.UTF_8));
      }
      exchange.answered("smart", List.of(), Usage.of(7, 2));
    });
    List<String> seen = new ArrayList<>();
    Pipeline pipeline = Pipeline.builder().accessLog((exchange, chain) -> {
      chain.proceed();
      seen.add(exchange.status() + " " + exchange.servedBy() + " " + exchange.usage() + " " + exchange.error());
    }).build();
    TestCall call = TestCall.get("/v1/models");

    pipeline.serve(call, "/v1/models", endpoint);

    assertThat(call.answerBody()).isEqualTo("data: one\n\ndata: two\n\n");
    assertThat(seen).containsExactly("200 smart " + Usage.of(7, 2) + " null");
  }

  @Test
  void anUnexpectedFailureIsA500InTheRoutesShapeAndTheGatewayGoesOn() {
    TestEndpoint endpoint = new TestEndpoint(exchange -> {
      throw new IllegalStateException("a bug");
    });
    TestCall call = TestCall.get("/v1/models");

    Pipeline.builder().build().serve(call, "/v1/models", endpoint);

    assertThat(call.status()).isEqualTo(500);
    assertThat(call.answerBody()).isEqualTo("shape=test status=500 code=internal_error");
  }

  @Test
  void aDoorThatSendsNothingIsA500RatherThanAnEmptyAnswer() {
    TestCall call = TestCall.get("/v1/models");

    Pipeline.builder().build().serve(call, "/v1/models", new TestEndpoint(exchange -> {}));

    assertThat(call.status()).isEqualTo(500);
    assertThat(call.answerBody()).contains("internal_error");
  }

  @Test
  void aCallerThatBreaksOffItsRequestIsRecordedAsGone() {
    TestEndpoint endpoint = new TestEndpoint(exchange -> {
      throw new IOException("Connection reset");
    });
    List<String> seen = new ArrayList<>();
    Pipeline pipeline = Pipeline.builder().accessLog((exchange, chain) -> {
      chain.proceed();
      seen.add(exchange.error());
    }).build();

    pipeline.serve(TestCall.get("/v1/models"), "/v1/models", endpoint);

    assertThat(seen).containsExactly("client_disconnected");
  }

  @Test
  void aCallerGoneBeforeItsRefusalCouldBeSentIsRecordedAsGoneAndNotAsAFault() {
    List<String> seen = new ArrayList<>();
    Pipeline pipeline = Pipeline.builder()
        .accessLog((exchange, chain) -> {
          chain.proceed();
          seen.add(exchange.error());
        })
        .auth(new Auth("sk-master"))
        .build();
    TestCall call = TestCall.get("/v1/models").failWritesAfter(0);
    PrintStream err = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      pipeline.serve(call, "/v1/models", new TestEndpoint());
    } finally {
      System.setErr(err);
    }

    assertThat(seen).containsExactly("client_disconnected");
    assertThat(call.sent()).isFalse();
    assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("unexpected failure");
  }

  static final Attribute<String> NOTE = Attribute.named("test.note");
  static final Attribute<Integer> COUNT = Attribute.named("test.count");

  @Test
  void aFiltersOwnStateTravelsWithTheExchangeUnderATypedKey() {
    List<String> seen = new ArrayList<>();
    Pipeline pipeline = Pipeline.builder()
        .requestId((exchange, chain) -> {
          exchange.set(NOTE, "from the first filter");
          chain.proceed();
        })
        .auth((exchange, chain) -> {
          seen.add(exchange.get(NOTE) + ", count " + exchange.get(COUNT));
          exchange.set(COUNT, 3);
          seen.add("count " + exchange.get(COUNT));
          chain.proceed();
        })
        .build();

    pipeline.serve(TestCall.get("/v1/models"), "/v1/models", new TestEndpoint());

    assertThat(seen).containsExactly("from the first filter, count null", "count 3");
  }
}
