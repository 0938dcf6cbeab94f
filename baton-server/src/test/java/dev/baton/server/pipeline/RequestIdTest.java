package dev.baton.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdTest {

  static final String UUID_V4 = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

  final List<String> seenByLaterFilters = new ArrayList<>();
  final Pipeline pipeline = Pipeline.builder()
      .requestId(new RequestId())
      .auth((exchange, chain) -> {
        seenByLaterFilters.add(exchange.requestId());
        chain.proceed();
      })
      .build();

  @Test
  void keepsTheCallersOwnIdAndSendsItBack() {
    TestCall call = TestCall.get("/v1/models").header("X-Request-Id", "trace-7f3a:span/42");

    pipeline.serve(call, "/v1/models", new TestEndpoint());

    assertThat(call.answerHeader("x-request-id")).isEqualTo("trace-7f3a:span/42");
    assertThat(seenByLaterFilters).containsExactly("trace-7f3a:span/42");
  }

  @Test
  void givesARequestWithoutOneAFreshUuid() {
    TestCall call = TestCall.get("/v1/models");

    pipeline.serve(call, "/v1/models", new TestEndpoint());

    assertThat(call.answerHeader("x-request-id")).matches(UUID_V4);
    assertThat(seenByLaterFilters).containsExactly(call.answerHeader("x-request-id"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "two words", "quote\"d", "<script>", "tab\tin", "ünïcode"})
  void replacesAnIdThatIsNotSane(String given) {
    TestCall call = TestCall.get("/v1/models").header("x-request-id", given);

    pipeline.serve(call, "/v1/models", new TestEndpoint());

    assertThat(call.answerHeader("x-request-id")).matches(UUID_V4);
  }

  @Test
  void replacesAnIdLongerThan128Characters() {
    TestCall longest = TestCall.get("/v1/models").header("x-request-id", "a".repeat(128));
    TestCall tooLong = TestCall.get("/v1/models").header("x-request-id", "a".repeat(129));

    pipeline.serve(longest, "/v1/models", new TestEndpoint());
    pipeline.serve(tooLong, "/v1/models", new TestEndpoint());

    assertThat(longest.answerHeader("x-request-id")).isEqualTo("a".repeat(128));
    assertThat(tooLong.answerHeader("x-request-id")).matches(UUID_V4);
  }

  @Test
  void aRefusalFurtherInStillCarriesTheId() {
    TestCall call = TestCall.get("/v1/models").header("x-request-id", "abc-123");
    Pipeline refusing = Pipeline.builder()
        .requestId(new RequestId())
        .auth((exchange, chain) -> {
          throw GatewayError.unauthorized();
        })
        .build();

    refusing.serve(call, "/v1/models", new TestEndpoint());

    assertThat(call.status()).isEqualTo(401);
    assertThat(call.answerHeader("x-request-id")).isEqualTo("abc-123");
  }

  @Test
  void generatedIdsDoNotRepeat() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(RequestId.generate());
    }

    assertThat(ids).hasSize(10_000);
  }
}
