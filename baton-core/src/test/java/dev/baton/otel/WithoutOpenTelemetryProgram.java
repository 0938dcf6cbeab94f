package dev.baton.otel;

import dev.baton.Baton;
import dev.baton.ChatChunk;
import dev.baton.ChatStream;

/**
 * A small SDK user, run in a JVM of its own by {@link WithoutOpenTelemetryTest}: a chat and a stream
 * from a mock model, untraced — or, given {@code traced}, traced by a no-op OpenTelemetry.
 */
public final class WithoutOpenTelemetryProgram {

  private WithoutOpenTelemetryProgram() {}

  public static void main(String[] args) {
    boolean traced = args.length > 0 && args[0].equals("traced");
    Baton.Builder builder = Baton.builder().models("mock/echo");
    if (traced) {
      Traced.withNoopOpenTelemetry(builder);
    }
    try (Baton baton = builder.build()) {
      System.out.println("chat: " + baton.chat("hello").text());
      StringBuilder streamed = new StringBuilder();
      try (ChatStream stream = baton.stream("hello")) {
        for (ChatChunk chunk : stream) {
          streamed.append(chunk.text());
        }
      }
      System.out.println("stream: " + streamed);
    }
    System.out.println("OpenTelemetry on the classpath: " + onClasspath("io/opentelemetry/api/OpenTelemetry.class"));
  }

  /** Looks for the class file without loading the class, which would spoil the test's class-load check. */
  private static boolean onClasspath(String classFile) {
    return WithoutOpenTelemetryProgram.class.getClassLoader().getResource(classFile) != null;
  }

  /** Apart, so that the untraced run never resolves an OpenTelemetry type. */
  private static final class Traced {
    static void withNoopOpenTelemetry(Baton.Builder builder) {
      builder.openTelemetry(io.opentelemetry.api.OpenTelemetry.noop());
    }
  }
}
