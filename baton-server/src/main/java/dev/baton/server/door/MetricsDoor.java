package dev.baton.server.door;

import dev.baton.server.pipeline.Endpoint;
import dev.baton.server.pipeline.ErrorShape;
import dev.baton.server.pipeline.Exchange;
import dev.baton.server.pipeline.GatewayMetrics;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code GET /metrics}: the gateway's Prometheus metrics, in the text format. */
public final class MetricsDoor implements FrontDoor, Endpoint {

  private static final Header PROMETHEUS_TEXT =
      HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");

  private final GatewayMetrics metrics;

  public MetricsDoor(GatewayMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(Method.GET, "/metrics", this));
  }

  @Override
  public ErrorShape errors() {
    return OpenAiErrors.SHAPE;
  }

  @Override
  public void answer(Exchange exchange) {
    exchange.http().header(PROMETHEUS_TEXT);
    exchange.http().send(metrics.scrape().getBytes(StandardCharsets.UTF_8));
  }
}
