package dev.baton.server;

import dev.baton.Baton;
import dev.baton.BatonListener;
import dev.baton.cache.CacheStore;
import dev.baton.config.BatonConfig;
import dev.baton.config.CacheConfig;
import dev.baton.config.Environment;
import dev.baton.config.ServerConfig;
import dev.baton.server.door.AdminDoor;
import dev.baton.server.door.ChatCompletionsDoor;
import dev.baton.server.door.CompletionsDoor;
import dev.baton.server.door.EmbeddingsDoor;
import dev.baton.server.door.FrontDoor;
import dev.baton.server.door.MessagesDoor;
import dev.baton.server.door.HealthDoor;
import dev.baton.server.door.MetricsDoor;
import dev.baton.server.door.ModelsDoor;
import dev.baton.server.door.Refusal;
import dev.baton.server.door.Route;
import dev.baton.server.door.responses.ResponsesDoor;
import dev.baton.server.pipeline.AccessLog;
import dev.baton.server.pipeline.Auth;
import dev.baton.server.pipeline.BodyLimit;
import dev.baton.server.pipeline.Cache;
import dev.baton.server.pipeline.Costs;
import dev.baton.server.pipeline.Draining;
import dev.baton.server.pipeline.Endpoint;
import dev.baton.server.pipeline.ErrorShape;
import dev.baton.server.pipeline.GatewayMetrics;
import dev.baton.server.pipeline.KeyLimits;
import dev.baton.server.pipeline.Pipeline;
import dev.baton.server.pipeline.RequestId;
import dev.baton.server.pipeline.SpendRecord;
import dev.baton.server.pipeline.Telemetry;
import dev.baton.server.store.DatabaseResponses;
import dev.baton.server.store.InMemoryResponseStore;
import dev.baton.server.store.ResponseStore;
import dev.baton.server.ui.Dashboard;
import dev.baton.server.ui.Sessions;
import dev.baton.server.ui.UiDoor;
import dev.baton.redis.SharedState;
import dev.baton.store.KeyPlatform;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP gateway over a {@link Baton}: the same router the SDK uses, behind the front doors of package
 * {@code door} ({@code /v1/chat/completions}, {@code /v1/completions}, {@code /v1/embeddings},
 * {@code /v1/models}, {@code /v1/responses}, {@code /v1/messages}, {@code /health}, {@code /metrics}), each request
 * through the filters of package {@code pipeline}. With a {@link KeyPlatform} (a database) it also has
 * virtual keys, their limits and budgets, the request log, the {@code /admin} API, and stored responses in
 * the database. This class only starts, mounts and stops them.
 */
public final class Gateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Gateway.class);
  /** The longest the database may hold up a shutdown: the request log's last rows go to the journal after it. */
  static final Duration DATABASE_GRACE = Duration.ofSeconds(5);

  private final Baton baton;
  private final BatonConfig config;
  private final ServerConfig server;
  private final GatewayMetrics metrics;
  private final AccessLog accessLog = new AccessLog(LoggerFactory.getLogger("dev.baton.access"));
  private final Draining draining = new Draining();
  private final @Nullable KeyPlatform platform;
  private final ResponseStore responses;
  private final @Nullable TraceExport traces;
  /** What the admin UI shows live; with a database only, as the UI is. */
  private final @Nullable Dashboard dashboard;
  private final SharedState shared;
  private final WebServer web;

  @SuppressWarnings("removal") // validateRequestHostHeader, below
  private Gateway(Baton baton, BatonConfig config, GatewayMetrics metrics, @Nullable TraceExport traces,
      @Nullable KeyPlatform platform, SharedState shared) {
    this.baton = baton;
    this.config = config;
    this.server = config.server();
    this.shared = shared;
    this.metrics = metrics;
    this.traces = traces;
    this.platform = platform;
    this.responses = platform == null ? new InMemoryResponseStore() : new DatabaseResponses(platform.responses());
    this.dashboard = platform == null ? null : new Dashboard(baton::deployments, config.router(), Clock.systemUTC());
    this.web = WebServer.builder()
        .host(server.host())
        .port(server.port())
        .shutdownHook(false)
        .connectionOptions(socket -> socket.tcpNoDelay(true))
        // The gateway never reads Host, so checking its syntax (a regular expression per request, 0.6% of
        // the gateway's CPU) buys nothing. Helidon 4.5 deprecates the switch without a replacement; at an
        // upgrade that removes it, this line goes.
        // Every response header the gateway sets is a constant, a number, a model name or a request id it
        // checked, and the config refuses names with control characters: checking each header again for
        // every answer (0.75% of the gateway's CPU) buys nothing. Request headers are still checked.
        .addProtocol(io.helidon.webserver.http1.Http1Config.builder()
            .validateRequestHostHeader(false)
            .validateResponseHeaders(false)
            .build())
        .routing(this::routes)
        .build();
  }

  /**
   * Starts a gateway for a configuration: builds its Baton (creating every provider, so a missing key
   * fails here) and listens on {@code server.host:server.port} (port 0 picks a free one).
   *
   * @param listeners extra listeners for the router's events, beside the gateway's metrics
   */
  public static Gateway start(BatonConfig config, Environment environment, List<BatonListener> listeners) {
    return start(config, environment, listeners, null);
  }

  /**
   * Starts a gateway with virtual keys, teams, budgets, the request log, the admin API and stored responses
   * over an opened {@link KeyPlatform}, sharing nothing with other instances. The gateway owns the platform
   * from here on: it closes it when it stops, or at once if it cannot start.
   *
   * @param platform the keys and spend over the database, or null for a gateway without a database; with a
   *     {@code redis:} section, a platform must count in the shared state's counters: use
   *     {@link #start(BatonConfig, Environment, List, KeyPlatform, SharedState)}
   */
  public static Gateway start(BatonConfig config, Environment environment, List<BatonListener> listeners,
      @Nullable KeyPlatform platform) {
    if (platform != null && config.redis().enabled()) {
      platform.close(DATABASE_GRACE);
      throw new IllegalArgumentException("a configuration with redis: needs its SharedState, whose counters the"
          + " key platform was opened with: Gateway.start(config, environment, listeners, platform, shared)");
    }
    return start(config, environment, listeners, platform, SharedState.from(config.redis(), Clock.systemUTC()));
  }

  /**
   * Starts a gateway that is one of several instances behaving as one (contract section 8): its circuits and
   * deployments' rpm/tpm windows go through {@code shared} to the router, its key and team changes are
   * announced to the other instances (and theirs applied here), a {@code cache.type: redis} cache keeps its
   * entries in {@code shared}'s store, and {@code /health} reports Redis beside the database. {@code baton
   * serve} opens them in this order:
   *
   * <pre>{@code
   * SharedState shared = SharedState.from(config.redis(), clock);
   * KeyPlatform keys = KeyPlatform.open(config.database(), config.logging(), config::modelNames, clock,
   *     shared.counters());
   * Gateway.start(config, environment, listeners, keys, shared);
   * }</pre>
   *
   * The gateway owns both from here on: it closes them when it stops, or at once if it cannot start.
   *
   * @param platform the keys and spend over the database, counting in {@code shared.counters()}; or null for a
   *     gateway without a database
   * @param shared what this instance shares with the others ({@link SharedState#local()}: nothing)
   */
  public static Gateway start(BatonConfig config, Environment environment, List<BatonListener> listeners,
      @Nullable KeyPlatform platform, SharedState shared) {
    TraceExport traces = null;
    Baton baton = null;
    try {
      GatewayMetrics metrics = new GatewayMetrics();
      traces = TraceExport.start(config.telemetry(), environment);
      Baton.Builder builder = Baton.builder().config(config).environment(environment).listener(metrics)
          .sharedState(shared.router());
      CacheConfig cache = config.cache();
      CacheStore sharedStore = shared.cacheStore();
      if (cache != null && cache.type().equals(CacheConfig.REDIS) && sharedStore != null) {
        // The store on the gateway's own Redis link: one link per gateway, not a second for the cache.
        builder.cache(cache, sharedStore);
      }
      listeners.forEach(builder::listener);
      if (traces != null) {
        builder.openTelemetry(traces.openTelemetry());
      }
      baton = builder.build();
      if (platform != null) {
        shared.shareKeyChanges(platform.keys());
      }
      Gateway gateway = new Gateway(baton, config, metrics, traces, platform, shared);
      gateway.web.start();
      return gateway;
    } catch (RuntimeException e) {
      if (baton != null) {
        baton.close();
      }
      closeQuietly(traces);
      if (platform != null) {
        platform.close(DATABASE_GRACE);
      }
      shared.close();
      throw e;
    }
  }

  private static void closeQuietly(@Nullable TraceExport traces) {
    if (traces != null) {
      traces.close();
    }
  }

  /** The port the gateway listens on. */
  public int port() {
    return web.port();
  }

  /** The base URL, such as {@code http://127.0.0.1:4000}. */
  public String url() {
    String host = server.host().equals("0.0.0.0") ? "127.0.0.1" : server.host();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  /** The public model names served. */
  public List<String> models() {
    return baton.models();
  }

  /**
   * Stops gracefully: new requests get 503 at once, in-flight requests and streams may finish within
   * {@code grace}, then the server and every upstream connection close.
   */
  public void shutdown(Duration grace) {
    draining.start();
    if (dashboard != null) {
      dashboard.close();
    }
    long deadline = System.nanoTime() + grace.toNanos();
    while (draining.inFlight() > 0 && System.nanoTime() - deadline < 0) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (draining.inFlight() > 0) {
      log.warn("shutting down with {} requests still in flight after the {}s grace period", draining.inFlight(),
          grace.toSeconds());
    }
    web.stop();
    accessLog.close();
    responses.close();
    if (platform != null) {
      closeWithin(platform, DATABASE_GRACE);
    }
    baton.close();
    closeQuietly(traces);
    shared.close();
  }

  /**
   * Writes the request log's last rows (to the journal if the database does not take them in time) and
   * closes the database, within {@code grace} and a little more: a database that hangs must not hold up
   * the exit (contract: SIGTERM exits within 10 s even with the database away).
   */
  private static void closeWithin(KeyPlatform platform, Duration grace) {
    Thread closing = Thread.ofPlatform().daemon().name("baton-database-close").start(() -> {
      try {
        platform.close(grace);
      } catch (RuntimeException e) {
        log.warn("closing the database failed: {}", e.toString());
      }
    });
    try {
      if (!closing.join(grace.plusSeconds(1))) {
        log.warn("the database did not close within {}s; exiting without waiting for it",
            grace.plusSeconds(1).toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    shutdown(Duration.ZERO);
  }

  private void routes(HttpRouting.Builder routing) {
    if (shared.redisUp().isPresent()) {
      // each request's calls to Redis on its path share one budget (contract section 8: 50 ms in all)
      routing.addFilter((chain, req, res) -> {
        shared.requestStarts();
        chain.proceed();
      });
    }
    RequestId requestId = new RequestId();
    Pipeline.Builder modelRoutes = Pipeline.builder();
    if (traces != null) {
      modelRoutes.telemetry(new Telemetry(traces.openTelemetry()));
    }
    BodyLimit bodyLimit = new BodyLimit(server.maxBody(), server.readTimeout());
    String masterKey = server.masterKey() == null ? null : server.masterKey().reveal();
    if (baton.cacheConfig() != null) {
      modelRoutes.cache(new Cache(baton.cacheConfig().scope()));
    }
    modelRoutes
        .requestId(requestId)
        .accessLog(accessLog)
        .metrics(metrics)
        .draining(draining)
        .bodyLimit(bodyLimit);
    KeyPlatform keys = platform;
    Dashboard live = dashboard;
    if (keys == null || live == null) {
      modelRoutes.auth(new Auth(masterKey));
    } else {
      Costs costs = new Costs(baton::pricing);
      modelRoutes.auth(new Auth(masterKey, keys::authenticate))
          .spendRecord(new SpendRecord(row -> {
            keys.record(row);
            live.record(row);
          }, costs, Clock.systemUTC(), config.logging().storeContent()))
          .keyLimits(new KeyLimits(keys::admit, costs));
    }
    Pipeline models = modelRoutes.build();
    Pipeline open = Pipeline.builder().requestId(requestId).build();

    mount(routing, models, open,
        new ChatCompletionsDoor(baton), new CompletionsDoor(baton), new EmbeddingsDoor(baton), new ModelsDoor(baton),
        new ResponsesDoor(baton, responses));
    mount(routing, models, open, new MessagesDoor(baton));
    if (keys != null && live != null) {
      Pipeline admin = Pipeline.builder()
          .requestId(requestId)
          .accessLog(accessLog)
          .metrics(metrics)
          .draining(draining)
          .bodyLimit(bodyLimit)
          .build();
      Sessions sessions = new Sessions(server.masterKey(), Clock.systemUTC());
      mount(routing, admin, open, new AdminDoor(keys, server.masterKey(), sessions, live), new UiDoor(sessions));
    }
    BooleanSupplier redisUp = shared.redisUp().isEmpty() ? null : () -> shared.redisUp().orElse(false);
    mount(routing, open, open, new HealthDoor(keys == null ? null : keys::databaseUp, redisUp),
        new MetricsDoor(metrics));
    routing.any(handler(open, "unknown", Refusal.unknownRoute()));
  }

  /**
   * Mounts the doors' routes on {@code pipeline}, each {@code /v1/...} path also without its {@code /v1};
   * any other method on their paths gets a 405 through {@code refusals}, in the door's error shape.
   */
  private static void mount(HttpRouting.Builder routing, Pipeline pipeline, Pipeline refusals, FrontDoor... doors) {
    Map<String, List<String>> methods = new LinkedHashMap<>();
    Map<String, ErrorShape> shapes = new LinkedHashMap<>();
    for (FrontDoor door : doors) {
      for (Route route : door.routes()) {
        Handler handler = handler(pipeline, route.path(), route.endpoint());
        for (String path : paths(route.path())) {
          routing.route(route.method(), path, handler);
          methods.computeIfAbsent(path, p -> new ArrayList<>()).add(route.method().text());
          shapes.putIfAbsent(path, route.endpoint().errors());
        }
      }
    }
    methods.forEach((path, allowed) -> routing.any(path,
        handler(refusals, path, Refusal.methodNotAllowed(String.join(", ", allowed), shapes.get(path)))));
  }

  private static List<String> paths(String path) {
    return path.startsWith("/v1/") ? List.of(path, path.substring(3)) : List.of(path);
  }

  private static Handler handler(Pipeline pipeline, String route, Endpoint endpoint) {
    return (req, res) -> pipeline.serve(new HelidonCall(req, res), route, endpoint);
  }
}
