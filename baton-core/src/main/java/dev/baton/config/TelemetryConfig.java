package dev.baton.config;

import org.jspecify.annotations.Nullable;

/**
 * The gateway's traces (contract section 10): the {@code telemetry:} section turns them on. The
 * OpenTelemetry SDK's own {@code OTEL_*} variables are honoured as its documentation describes, and
 * override these settings ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_SERVICE_NAME}, ...). The SDK
 * reads the section but has no exporter of its own: an application traces its Batons by giving
 * {@code Baton.builder()} its {@code OpenTelemetry}.
 *
 * @param otlpEndpoint the OTLP/HTTP collector's base URL, such as {@code http://127.0.0.1:4318} (spans go
 *     to its {@code /v1/traces}); null for {@code OTEL_EXPORTER_OTLP_ENDPOINT}, else OpenTelemetry's
 *     default {@code http://localhost:4318}
 * @param serviceName the spans' {@code service.name}; null for {@code OTEL_SERVICE_NAME}, else {@code baton}
 */
public record TelemetryConfig(@Nullable String otlpEndpoint, @Nullable String serviceName) {

  /** The section with nothing set: traces on, everything else from the environment or the defaults. */
  public static final TelemetryConfig DEFAULTS = new TelemetryConfig(null, null);
}
