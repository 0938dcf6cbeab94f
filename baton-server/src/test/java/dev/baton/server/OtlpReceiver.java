package dev.baton.server;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * An OpenTelemetry collector in miniature: a real HTTP server on a loopback port taking OTLP/HTTP
 * exports at {@code /v1/traces}, decoded with the OTLP protobuf classes. It can also hang — take an
 * export and not answer — to stand for a collector that is stuck.
 */
final class OtlpReceiver implements AutoCloseable {

  /** One span as the collector received it: ids in lower-case hex, attribute values as Java values. */
  record ReceivedSpan(String name, String traceId, String spanId, String parentSpanId, Span.SpanKind kind,
      Map<String, Object> attributes, List<ReceivedEvent> events, Status.StatusCode status,
      Map<String, Object> resource, String scope, long startNanos, long endNanos) {

    Object attribute(String key) {
      return attributes.get(key);
    }

    List<String> eventNames() {
      return events.stream().map(ReceivedEvent::name).toList();
    }

    ReceivedEvent event(String name) {
      return events.stream().filter(e -> e.name().equals(name)).findFirst()
          .orElseThrow(() -> new AssertionError("the span '" + this.name + "' has no event " + name + ": " + events));
    }
  }

  record ReceivedEvent(String name, Map<String, Object> attributes) {}

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();
  private volatile CountDownLatch hang = new CountDownLatch(0);
  private final CountDownLatch hanging = new CountDownLatch(1);

  private OtlpReceiver(HttpServer server) {
    this.server = server;
  }

  static OtlpReceiver start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      OtlpReceiver receiver = new OtlpReceiver(server);
      server.createContext("/v1/traces", receiver::export);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The base URL, such as {@code http://127.0.0.1:43127}; spans go to its {@code /v1/traces}. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** From now on, take each export and answer nothing until {@link #release()} or {@link #close()}. */
  void hang() {
    hang = new CountDownLatch(1);
  }

  /** Answers the exports it hangs on, and every later one. */
  void release() {
    hang.countDown();
  }

  /** Waits until an export has arrived and is being held by {@link #hang()}. */
  void awaitHanging(Duration timeout) throws InterruptedException {
    if (!hanging.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("no export arrived at the hanging collector within " + timeout);
    }
  }

  /** Whether it is still holding exports unanswered. */
  boolean stillHanging() {
    return hang.getCount() > 0;
  }

  List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  List<String> contentTypes() {
    return List.copyOf(contentTypes);
  }

  /** Waits until the spans received include one that matches; returns it. */
  ReceivedSpan await(Predicate<ReceivedSpan> wanted, String what, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (ReceivedSpan s : spans) {
        if (wanted.test(s)) {
          return s;
        }
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("no span " + what + " arrived within " + timeout + "; received: "
            + spans.stream().map(ReceivedSpan::name).toList());
      }
      Thread.sleep(10);
    }
  }

  /** Waits until a span of this name has arrived. */
  ReceivedSpan await(String name) throws InterruptedException {
    return await(s -> s.name().equals(name), "named '" + name + "'", Duration.ofSeconds(20));
  }

  /** Waits until {@code n} spans of one trace have arrived; returns them in order of their start. */
  List<ReceivedSpan> awaitTrace(String traceId, int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      List<ReceivedSpan> trace = new ArrayList<>();
      for (ReceivedSpan s : spans) {
        if (s.traceId().equals(traceId)) {
          trace.add(s);
        }
      }
      if (trace.size() >= n) {
        trace.sort(java.util.Comparator.comparingLong(ReceivedSpan::startNanos));
        return trace;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(n + " spans of trace " + traceId + " did not arrive; received: " + spans);
      }
      Thread.sleep(10);
    }
  }

  private void export(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
          ? new GZIPInputStream(exchange.getRequestBody())
          : exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      contentTypes.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
      if (hang.getCount() > 0) {
        hanging.countDown();
        try {
          hang.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
        Map<String, Object> resource = attributes(resourceSpans.getResource().getAttributesList());
        for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
          for (Span span : scopeSpans.getSpansList()) {
            spans.add(received(span, resource, scopeSpans.getScope().getName()));
          }
        }
      }
      byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        exchange.getResponseBody().write(answer);
      }
    }
  }

  private static ReceivedSpan received(Span span, Map<String, Object> resource, String scope) {
    List<ReceivedEvent> events = new ArrayList<>();
    for (Span.Event event : span.getEventsList()) {
      events.add(new ReceivedEvent(event.getName(), attributes(event.getAttributesList())));
    }
    return new ReceivedSpan(span.getName(), hex(span.getTraceId()), hex(span.getSpanId()), hex(span.getParentSpanId()),
        span.getKind(), attributes(span.getAttributesList()), events, span.getStatus().getCode(), resource, scope,
        span.getStartTimeUnixNano(), span.getEndTimeUnixNano());
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  private static Map<String, Object> attributes(List<KeyValue> keyValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (KeyValue kv : keyValues) {
      map.put(kv.getKey(), value(kv.getValue()));
    }
    return map;
  }

  private static Object value(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> value.getBoolValue();
      case INT_VALUE -> value.getIntValue();
      case DOUBLE_VALUE -> value.getDoubleValue();
      case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(OtlpReceiver::value).toList();
      default -> value.toString();
    };
  }

  @Override
  public void close() {
    release();
    server.stop(0);
  }
}
