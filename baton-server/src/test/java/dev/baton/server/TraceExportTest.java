package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.ConfigException;
import dev.baton.config.Environment;
import dev.baton.config.TelemetryConfig;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.ConnectException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;

/** When the gateway's traces are on, and what an operator reads when the collector goes away. */
class TraceExportTest {

  @Test
  void withoutTheSectionOrAnEndpointInTheEnvironmentTracesAreOff() {
    assertThat(TraceExport.start(null, Environment.of(Map.of()))).isNull();
  }

  @Test
  void otelTracesExporterNoneTurnsThemOff() {
    assertThat(TraceExport.start(TelemetryConfig.DEFAULTS, Environment.of(Map.of("OTEL_TRACES_EXPORTER", "none"))))
        .isNull();
  }

  @Test
  void aWrongOpenTelemetrySettingIsAConfigErrorNamingIt() {
    Environment environment = Environment.of(Map.of("OTEL_TRACES_SAMPLER", "sometimes"));

    assertThatThrownBy(() -> TraceExport.start(TelemetryConfig.DEFAULTS, environment))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("telemetry: the OpenTelemetry settings are not valid")
        .hasMessageContaining("sometimes");
  }

  @Test
  void aCollectorGoingAwayIsOneWarningAndItsReturnOneLineNotALinePerBatch() {
    RecordingLogger log = new RecordingLogger();
    Queue<CompletableResultCode> results = new ArrayDeque<>(List.of(
        CompletableResultCode.ofSuccess(),
        CompletableResultCode.ofExceptionalFailure(new ConnectException("Connection refused")),
        CompletableResultCode.ofExceptionalFailure(new ConnectException("Connection refused")),
        CompletableResultCode.ofFailure(),
        CompletableResultCode.ofSuccess(),
        CompletableResultCode.ofSuccess()));
    SpanExporter collector = new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        return results.remove();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
    TraceExport.Reporting reporting = new TraceExport.Reporting(collector, "http://collector:4318/v1/traces", log);

    for (int i = 0; i < 6; i++) {
      reporting.export(List.of());
    }

    assertThat(log.lines).containsExactly(
        "WARN traces: spans cannot be sent to http://collector:4318/v1/traces (ConnectException: Connection refused);"
            + " they are dropped until it takes them again",
        "INFO traces: http://collector:4318/v1/traces takes spans again");
  }

  /** Keeps each line it is given, with its level. */
  static final class RecordingLogger extends LegacyAbstractLogger {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    protected @Nullable String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, @Nullable Marker marker, String message,
        Object @Nullable [] args, @Nullable Throwable throwable) {
      lines.add(level + " " + org.slf4j.helpers.MessageFormatter.basicArrayFormat(message, args));
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }
  }
}
