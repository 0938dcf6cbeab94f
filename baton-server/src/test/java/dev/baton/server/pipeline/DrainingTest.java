package dev.baton.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrainingTest {

  final Draining draining = new Draining();
  final Pipeline pipeline = Pipeline.builder().draining(draining).build();

  @Test
  void countsARequestAsInFlightUntilItsAnswerIsOver() {
    List<Integer> inFlightDuring = new ArrayList<>();
    TestEndpoint endpoint = new TestEndpoint(exchange -> {
      inFlightDuring.add(draining.inFlight());
      exchange.http().send("ok".getBytes(StandardCharsets.UTF_8));
    });

    pipeline.serve(TestCall.get("/v1/models"), "/v1/models", endpoint);

    assertThat(inFlightDuring).containsExactly(1);
    assertThat(draining.inFlight()).isZero();
  }

  @Test
  void onceDrainingNewRequestsGetA503AndTheirConnectionIsClosed() {
    TestEndpoint endpoint = new TestEndpoint();
    draining.start();
    TestCall call = TestCall.get("/v1/models");

    pipeline.serve(call, "/v1/models", endpoint);

    assertThat(call.status()).isEqualTo(503);
    assertThat(call.answerBody()).isEqualTo("shape=test status=503 code=shutting_down");
    assertThat(call.answerHeader("connection")).isEqualTo("close");
    assertThat(endpoint.steps).isEmpty();
    assertThat(draining.inFlight()).isZero();
  }

  @Test
  void aRequestThatFailsIsNoLongerInFlight() {
    pipeline.serve(TestCall.get("/v1/models"), "/v1/models", new TestEndpoint(exchange -> {
      throw new IllegalStateException("a bug");
    }));

    assertThat(draining.inFlight()).isZero();
  }
}
