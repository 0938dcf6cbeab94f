package dev.baton.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Usage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metrics filter: each request counted by route, model and final status, with its tokens. */
class GatewayMetricsTest {

  final GatewayMetrics metrics = new GatewayMetrics();
  final Pipeline pipeline = Pipeline.builder().metrics(metrics).auth(new Auth("sk-master")).build();

  @Test
  void countsAnAnsweredRequestByRouteModelAndStatusWithItsTokens() {
    TestEndpoint endpoint = new TestEndpoint(exchange -> {
      exchange.answered("smart", List.of(), Usage.of(12, 5));
      exchange.http().send("{}".getBytes(StandardCharsets.UTF_8));
    });

    pipeline.serve(TestCall.post("/v1/chat/completions", "{}").header("x-api-key", "sk-master"),
        "/v1/chat/completions", endpoint);

    assertThat(metrics.scrape())
        .contains("baton_requests_total{model=\"smart\",route=\"/v1/chat/completions\",status=\"200\"} 1.0")
        .contains("baton_tokens_total{direction=\"in\",model=\"smart\"} 12.0")
        .contains("baton_tokens_total{direction=\"out\",model=\"smart\"} 5.0")
        .contains("baton_request_duration_seconds_count{model=\"smart\",route=\"/v1/chat/completions\"} 1");
  }

  @Test
  void countsARefusedRequestWithItsStatusAndNoModel() {
    pipeline.serve(TestCall.get("/v1/models"), "/v1/models", new TestEndpoint());

    assertThat(metrics.scrape())
        .contains("baton_requests_total{model=\"none\",route=\"/v1/models\",status=\"401\"} 1.0");
  }
}
