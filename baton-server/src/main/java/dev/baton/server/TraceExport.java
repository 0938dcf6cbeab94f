package dev.baton.server;

import dev.baton.ConfigException;
import dev.baton.config.Environment;
import dev.baton.config.TelemetryConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the gateway's spans go: the OpenTelemetry SDK, configured by its autoconfigure module from the
 * {@code telemetry:} section and the {@code OTEL_*} variables as the OpenTelemetry documentation
 * describes (a variable overrides the section), exporting OTLP over HTTP.
 *
 * <p>Export never touches a request: a finished span is only queued (a bounded queue, 2048 by default,
 * {@code OTEL_BSP_MAX_QUEUE_SIZE}), and one background thread sends batches. A collector that is down
 * or hangs costs the spans that do not fit the queue, nothing else; failed exports are not retried
 * ({@code OTEL_JAVA_EXPORTER_OTLP_RETRY_DISABLED=false} turns retries back on), so they never pile up.
 */
final class TraceExport implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TraceExport.class);
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  /**
   * The SDK's variables that shape traces. The SDK reads the process environment itself; these are
   * also looked up in the gateway's {@link Environment}, so a test or an embedding application can set
   * them without touching the process.
   */
  private static final List<String> VARIABLES = List.of(
      "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_TRACES_EXPORTER", "OTEL_TRACES_SAMPLER",
      "OTEL_TRACES_SAMPLER_ARG", "OTEL_PROPAGATORS",
      "OTEL_BSP_SCHEDULE_DELAY", "OTEL_BSP_EXPORT_TIMEOUT", "OTEL_BSP_MAX_QUEUE_SIZE", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
      "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
      "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
      "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS",
      "OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT",
      "OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION",
      "OTEL_EXPORTER_OTLP_CERTIFICATE", "OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE",
      "OTEL_EXPORTER_OTLP_CLIENT_KEY", "OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY",
      "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", "OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE",
      "OTEL_JAVA_EXPORTER_OTLP_RETRY_DISABLED",
      "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "OTEL_SPAN_EVENT_COUNT_LIMIT", "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT");

  /**
   * The OTLP exporter's own failure log: an error with a stack trace for each failed batch (a few a
   * minute while a collector is down). {@link Reporting} says the same in one line when the collector
   * goes away and one when it is back. Held here, as the JDK keeps only weak references to its loggers
   * and would forget their level.
   */
  private static final List<java.util.logging.Logger> EXPORT_FAILURES = List.of(
      java.util.logging.Logger.getLogger("io.opentelemetry.exporter.otlp.internal"),
      java.util.logging.Logger.getLogger("io.opentelemetry.exporter.internal"));

  private final OpenTelemetrySdk sdk;

  private TraceExport(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
  }

  /**
   * Starts the SDK when traces are asked for: by a {@code telemetry:} section, or by an OTLP endpoint in
   * the environment. Null when they are not, or when {@code OTEL_SDK_DISABLED=true} or
   * {@code OTEL_TRACES_EXPORTER=none} turn them off.
   *
   * @throws ConfigException when the OpenTelemetry settings are wrong, naming the one at fault
   */
  static @Nullable TraceExport start(@Nullable TelemetryConfig telemetry, Environment environment) {
    boolean endpointInEnvironment = environment.get("OTEL_EXPORTER_OTLP_ENDPOINT") != null
        || environment.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != null;
    if (telemetry == null && !endpointInEnvironment) {
      return null;
    }
    if (is(environment, "OTEL_SDK_DISABLED", "true") || is(environment, "OTEL_TRACES_EXPORTER", "none")) {
      log.info("traces are off: {}", is(environment, "OTEL_SDK_DISABLED", "true")
          ? "OTEL_SDK_DISABLED=true" : "OTEL_TRACES_EXPORTER=none");
      return null;
    }
    TelemetryConfig settings = telemetry == null ? TelemetryConfig.DEFAULTS : telemetry;
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.traces.exporter", "otlp");
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    defaults.put("otel.java.exporter.otlp.retry.disabled", "true");
    if (settings.otlpEndpoint() != null) {
      defaults.put("otel.exporter.otlp.endpoint", settings.otlpEndpoint());
    }
    Map<String, String> fromEnvironment = new HashMap<>();
    for (String variable : VARIABLES) {
      String value = environment.get(variable);
      String property = variable.toLowerCase(Locale.ROOT).replace('_', '.');
      // A system property outranks a variable, as in the SDK itself.
      if (value != null && System.getProperty(property) == null) {
        fromEnvironment.put(property, value);
      }
    }
    EXPORT_FAILURES.forEach(logger -> logger.setLevel(java.util.logging.Level.OFF));
    String[] endpoint = new String[1];
    try {
      OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
          .addPropertiesSupplier(() -> defaults)
          .addPropertiesCustomizer(config -> fromEnvironment)
          .addResourceCustomizer((resource, config) -> named(resource, settings.serviceName()))
          .addSpanExporterCustomizer((exporter, config) -> {
            endpoint[0] = endpoint(config);
            return new Reporting(exporter, endpoint[0], log);
          })
          .disableShutdownHook()
          .build()
          .getOpenTelemetrySdk();
      log.info("traces: OTLP to {}", endpoint[0]);
      return new TraceExport(sdk);
    } catch (ConfigurationException e) {
      throw new ConfigException("telemetry: the OpenTelemetry settings are not valid: " + e.getMessage());
    }
  }

  private static boolean is(Environment environment, String variable, String value) {
    String set = environment.get(variable);
    return set != null && set.strip().equalsIgnoreCase(value);
  }

  /**
   * The resource named {@code service_name}, else {@code baton} — unless {@code OTEL_SERVICE_NAME} or a
   * {@code service.name} in {@code OTEL_RESOURCE_ATTRIBUTES} named it already, as they take precedence.
   */
  private static Resource named(Resource resource, @Nullable String serviceName) {
    String current = resource.getAttribute(SERVICE_NAME);
    if (current != null && !current.startsWith("unknown_service")) {
      return resource;
    }
    return resource.merge(Resource.builder().put(SERVICE_NAME, serviceName == null ? "baton" : serviceName).build());
  }

  /** Where spans go, for the log: the traces endpoint, else the base one, else the SDK's default. */
  private static String endpoint(ConfigProperties config) {
    String traces = config.getString("otel.exporter.otlp.traces.endpoint");
    if (traces != null) {
      return traces;
    }
    String protocol = config.getString("otel.exporter.otlp.traces.protocol",
        config.getString("otel.exporter.otlp.protocol", "http/protobuf"));
    if (protocol.equals("grpc")) {
      return config.getString("otel.exporter.otlp.endpoint", "http://localhost:4317") + " (gRPC)";
    }
    String base = config.getString("otel.exporter.otlp.endpoint", "http://localhost:4318");
    return (base.endsWith("/") ? base : base + "/") + "v1/traces";
  }

  /**
   * Logs the collector's state changes, not every failed batch: one warning when spans stop getting
   * through (with why: refused, timed out, an HTTP status), one line when they get through again.
   */
  static final class Reporting implements SpanExporter {
    private final SpanExporter exporter;
    private final String endpoint;
    private final Logger log;
    private final AtomicBoolean failing = new AtomicBoolean();

    Reporting(SpanExporter exporter, String endpoint, Logger log) {
      this.exporter = exporter;
      this.endpoint = endpoint;
      this.log = log;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      CompletableResultCode result = exporter.export(spans);
      result.whenComplete(() -> {
        if (result.isSuccess()) {
          if (failing.compareAndSet(true, false)) {
            log.info("traces: {} takes spans again", endpoint);
          }
        } else if (failing.compareAndSet(false, true)) {
          log.warn("traces: spans cannot be sent to {} ({}); they are dropped until it takes them again",
              endpoint, why(result.getFailureThrowable()));
        }
      });
      return result;
    }

    private static String why(@Nullable Throwable failure) {
      if (failure == null) {
        return "the collector refused them";
      }
      Throwable cause = failure;
      while (cause.getCause() != null && cause.getMessage() == null) {
        cause = cause.getCause();
      }
      return cause.getMessage() == null ? cause.getClass().getSimpleName()
          : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    @Override
    public CompletableResultCode flush() {
      return exporter.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return exporter.shutdown();
    }

    @Override
    public String toString() {
      return "Reporting{" + exporter + "}";
    }
  }

  OpenTelemetry openTelemetry() {
    return sdk;
  }

  /** Sends the spans still queued, waiting at most five seconds for a collector that does not answer. */
  @Override
  public void close() {
    sdk.shutdown().join(5, TimeUnit.SECONDS);
  }
}
