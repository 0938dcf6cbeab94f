package dev.baton.server.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.BatonEvent.CircuitState;
import dev.baton.DeploymentStatus;
import dev.baton.config.RouterConfig;
import dev.baton.server.pipeline.Exchange;
import dev.baton.server.pipeline.GatewayError;
import dev.baton.server.pipeline.HttpCall;
import dev.baton.store.AttemptRecord;
import dev.baton.store.RequestRecord;
import dev.baton.store.admin.AdminApi;
import dev.baton.wire.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What the admin UI shows live, beside the admin API's stored data: this instance's traffic over time,
 * each deployment's health, and every request as it ends. It hears each finished request's row (the
 * request log's {@link dev.baton.server.pipeline.SpendRecord.Recorder}, beside the database) and answers
 * three read routes, for the master key or a UI session, documented in the README:
 *
 * <ul>
 *   <li>{@code GET /admin/stats?window=5m|15m|1h|6h|24h}: requests, errors, fallbacks, latency percentiles,
 *       tokens and spend, in total and per step (1 s over 5 minutes, 10 s up to an hour, 1 min beyond), as
 *       columns for a chart, from the window's start or the instance's, whichever is later;
 *   <li>{@code GET /admin/deployments}: every deployment, its circuit, whether it takes requests, its
 *       requests in flight, and its attempts, failures, error rate and median latency over the last 5 minutes;
 *   <li>{@code GET /admin/events}: server-sent events, one {@code request} event per finished request, with
 *       the row {@code /admin/requests} lists.
 * </ul>
 *
 * Counting costs a few adders per request and no lock; the numbers are this instance's, since it started.
 */
public final class Dashboard {

  static final int LIVE_STEP = 1;
  static final int FINE_STEP = 10;
  static final int COARSE_STEP = 60;
  /** The deployments' recent window: 5 minutes. */
  static final int RECENT_STEPS = 30;

  /** The spans {@code /admin/stats} shows. */
  enum Window {
    M5("5m", LIVE_STEP, 300), M15("15m", FINE_STEP, 90), H1("1h", FINE_STEP, 360), H6("6h", COARSE_STEP, 360),
    H24("24h", COARSE_STEP, 1440);

    final String text;
    final int stepSeconds;
    final int steps;

    Window(String text, int stepSeconds, int steps) {
      this.text = text;
      this.stepSeconds = stepSeconds;
      this.steps = steps;
    }

    static Window of(String text) {
      for (Window w : values()) {
        if (w.text.equals(text)) {
          return w;
        }
      }
      throw badParam("window", "window: must be 5m, 15m, 1h, 6h or 24h, was '" + text + "'");
    }
  }

  private final Supplier<List<DeploymentStatus>> deployments;
  private final RouterConfig router;
  private final InstantSource clock;
  private final Instant since;
  private final Traffic live = new Traffic(LIVE_STEP, 301);
  private final Traffic fine = new Traffic(FINE_STEP, 361);
  private final Traffic coarse = new Traffic(COARSE_STEP, 1441);
  private final Map<String, Traffic> byDeployment = new ConcurrentHashMap<>();
  private final RequestFeed feed = new RequestFeed(Dashboard::requestJson);

  /**
   * @param deployments the router's deployments as they stand ({@code Baton::deployments})
   * @param router the configuration's fallbacks, shown beside each model
   */
  public Dashboard(Supplier<List<DeploymentStatus>> deployments, RouterConfig router, InstantSource clock) {
    this.deployments = deployments;
    this.router = router;
    this.clock = clock;
    this.since = clock.instant();
  }

  /** Hears a finished request: counts it and sends it to the live views. Never blocks. */
  public void record(RequestRecord row) {
    long now = clock.millis() / 1000;
    boolean error = row.status() >= 400 || row.error() != null && !row.error().equals("client_disconnected");
    boolean fallback = fellBack(row.attempts());
    live.add(now, error, fallback, row.costUsd(), row.inputTokens(), row.outputTokens(), row.latencyMs());
    fine.add(now, error, fallback, row.costUsd(), row.inputTokens(), row.outputTokens(), row.latencyMs());
    coarse.add(now, error, fallback, row.costUsd(), row.inputTokens(), row.outputTokens(), row.latencyMs());
    for (AttemptRecord a : row.attempts()) {
      if (a.outcome().equals("skipped") || a.outcome().equals("cancelled")) {
        continue;
      }
      byDeployment.computeIfAbsent(a.deployment(), d -> new Traffic(FINE_STEP, RECENT_STEPS + 1))
          .add(now, !a.outcome().equals("success"), false, 0, 0, 0, a.latencyMs());
    }
    feed.publish(row);
  }

  /** Whether the request tried more than one public model: a deployment's id is its model's name, or {@code name#n}. */
  static boolean fellBack(List<AttemptRecord> attempts) {
    String first = null;
    for (AttemptRecord a : attempts) {
      String model = modelOf(a.deployment());
      if (first == null) {
        first = model;
      } else if (!first.equals(model)) {
        return true;
      }
    }
    return false;
  }

  private static String modelOf(String deployment) {
    int hash = deployment.lastIndexOf('#');
    return hash < 0 ? deployment : deployment.substring(0, hash);
  }

  /** The routes this answers, under {@code /admin}. */
  public static List<String> routes() {
    return List.of("/admin/stats", "/admin/deployments", "/admin/events");
  }

  /** Answers one of {@link #routes()} (the caller already authorized). */
  public void answer(Exchange exchange) throws IOException {
    HttpCall http = exchange.http();
    switch (exchange.route()) {
      case "/admin/stats" -> {
        Map<String, String> query = query(http, "window");
        send(http, stats(Window.of(query.getOrDefault("window", "1h"))));
      }
      case "/admin/deployments" -> {
        query(http);
        send(http, deploymentsJson());
      }
      case "/admin/events" -> {
        query(http);
        events(http);
      }
      default -> throw GatewayError.unknownRoute(http.method(), http.path());
    }
  }

  ObjectNode stats(Window window) {
    Traffic traffic = switch (window.stepSeconds) {
      case LIVE_STEP -> live;
      case FINE_STEP -> fine;
      default -> coarse;
    };
    long nowStep = clock.millis() / 1000 / window.stepSeconds;
    // Nothing was counted before this instance started: the series begins there.
    long first = Math.max(nowStep - window.steps + 1, since.getEpochSecond() / window.stepSeconds);
    ObjectNode out = Json.MAPPER.createObjectNode().put("object", "stats").put("window", window.text)
        .put("step_seconds", window.stepSeconds).put("since", since.toString())
        .put("now", clock.instant().toString());
    Traffic.Sum total = traffic.sum(first, nowStep);
    ObjectNode totals = out.putObject("totals").put("requests", total.count).put("errors", total.errors)
        .put("fallbacks", total.fallbacks).put("spend_usd", total.spendUsd)
        .put("input_tokens", total.inputTokens).put("output_tokens", total.outputTokens);
    totals.put("error_rate", total.count == 0 ? null : (double) total.errors / total.count);
    totals.put("p50_ms", total.percentile(0.50)).put("p95_ms", total.percentile(0.95))
        .put("p99_ms", total.percentile(0.99));
    ObjectNode series = out.putObject("series");
    ArrayNode time = series.putArray("time");
    ArrayNode requests = series.putArray("requests");
    ArrayNode errors = series.putArray("errors");
    ArrayNode fallbacks = series.putArray("fallbacks");
    ArrayNode spend = series.putArray("spend_usd");
    ArrayNode p50 = series.putArray("p50_ms");
    ArrayNode p95 = series.putArray("p95_ms");
    ArrayNode p99 = series.putArray("p99_ms");
    for (long step = first; step <= nowStep; step++) {
      time.add(step * window.stepSeconds);
      Traffic.Sum s = traffic.sum(step, step);
      requests.add(s.count);
      errors.add(s.errors);
      fallbacks.add(s.fallbacks);
      spend.add(s.spendUsd);
      p50.add(s.percentile(0.50));
      p95.add(s.percentile(0.95));
      p99.add(s.percentile(0.99));
    }
    return out;
  }

  ObjectNode deploymentsJson() {
    long nowStep = clock.millis() / 1000 / FINE_STEP;
    ObjectNode out = Json.MAPPER.createObjectNode().put("object", "list")
        .put("recent_seconds", RECENT_STEPS * FINE_STEP);
    ArrayNode data = out.putArray("data");
    for (DeploymentStatus d : deployments.get()) {
      ObjectNode o = data.addObject().put("model", d.model()).put("deployment", d.deployment())
          .put("provider", d.provider()).put("upstream_model", d.upstreamModel()).put("circuit", circuit(d.circuit()))
          .put("available", d.available()).put("in_flight", d.inFlight());
      ArrayNode fallbacks = o.putArray("fallbacks");
      router.fallbacks().getOrDefault(d.model(), router.defaultFallbacks()).stream()
          .filter(f -> !f.equals(d.model())).forEach(fallbacks::add);
      Traffic traffic = byDeployment.get(d.deployment());
      Traffic.Sum recent = traffic == null ? new Traffic.Sum() : traffic.sum(nowStep - RECENT_STEPS + 1, nowStep);
      o.put("attempts", recent.count).put("failures", recent.errors)
          .put("error_rate", recent.count == 0 ? null : (double) recent.errors / recent.count)
          .put("p50_ms", recent.percentile(0.50));
    }
    return out;
  }

  /** The circuit as the UI and the contract write it: {@code closed}, {@code open} or {@code half-open}. */
  static String circuit(CircuitState state) {
    return state.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private void events(HttpCall http) throws IOException {
    if (feed.full()) {
      throw new GatewayError(503, "server_error", "too_many_listeners",
          "Too many live views are open on this instance; close one and retry.", null, false);
    }
    http.status(200);
    http.header(HeaderValues.CONTENT_TYPE_EVENT_STREAM);
    http.header(HeaderNames.CACHE_CONTROL, "no-store");
    http.header(HeaderNames.create("X-Accel-Buffering"), "no");
    try (OutputStream out = http.stream()) {
      feed.listen(out);
    }
  }

  /** Ends the live streams, so that none holds up a shutdown. */
  public void close() {
    feed.close();
  }

  private static String requestJson(RequestRecord row) {
    try {
      return Json.MAPPER.writeValueAsString(AdminApi.requestJson(row));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a request row cannot be written as JSON", e);
    }
  }

  private static void send(HttpCall http, ObjectNode json) {
    try {
      http.header(HeaderValues.CONTENT_TYPE_JSON);
      http.header(HeaderNames.CACHE_CONTROL, "no-store");
      http.send(Json.MAPPER.writeValueAsBytes(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a dashboard answer cannot be written as JSON", e);
    }
  }

  /** The query's parameters, refusing any but {@code allowed} (as the admin API does). */
  private static Map<String, String> query(HttpCall http, String... allowed) {
    String raw = http.rawQuery();
    Map<String, String> params = raw.isEmpty() ? Map.of() : Arrays.stream(raw.split("&"))
        .filter(p -> !p.isEmpty())
        .map(p -> p.split("=", 2))
        .collect(Collectors.toMap(p -> decode(p[0]), p -> p.length > 1 ? decode(p[1]) : "", (a, b) -> a));
    for (String name : params.keySet()) {
      if (!List.of(allowed).contains(name)) {
        throw badParam(name, "unknown query parameter '" + name + "'"
            + (allowed.length == 0 ? "; this route takes none" : "; known: " + String.join(", ", allowed)));
      }
    }
    return params;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static GatewayError badParam(String param, String message) {
    return new GatewayError(400, "invalid_request_error", "invalid_field", message, param, null, List.of(), false);
  }
}
