package dev.baton.otel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * OpenTelemetry is an optional dependency of the SDK: a program with no OpenTelemetry jar on its
 * classpath builds a Baton, chats and streams; and with the jars there, none of their classes is loaded
 * unless tracing was asked for. Each case runs {@link WithoutOpenTelemetryProgram} in a JVM of its own.
 */
class WithoutOpenTelemetryTest {

  @Test
  void theSdkWorksWithNoOpenTelemetryJarOnTheClasspath() throws Exception {
    String classpath = Arrays.stream(testClasspath().split(File.pathSeparator))
        .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("opentelemetry-"))
        .collect(Collectors.joining(File.pathSeparator));
    assertThat(classpath).doesNotContain("opentelemetry-api");

    List<String> output = run(classpath, List.of());

    assertThat(output).contains("OpenTelemetry on the classpath: false");
    assertThat(output).anyMatch(line -> line.startsWith("chat: ") && line.length() > "chat: ".length());
    assertThat(output).anyMatch(line -> line.startsWith("stream: ") && line.length() > "stream: ".length());
  }

  @Test
  void noOpenTelemetryClassIsLoadedUnlessTracingIsAskedFor() throws Exception {
    String classpath = testClasspath();
    assertThat(classpath).contains("opentelemetry-api");

    List<String> untraced = run(classpath, List.of("-Xlog:class+load=info"));
    List<String> traced = run(classpath, List.of("-Xlog:class+load=info"), "traced");

    assertThat(untraced).contains("OpenTelemetry on the classpath: true");
    assertThat(untraced).noneMatch(line -> line.contains("io.opentelemetry.") || line.contains("dev.baton.otel.Otel"));
    // The same check sees them when tracing is on, so its silence above means something.
    assertThat(traced).anyMatch(line -> line.contains("io.opentelemetry.api.OpenTelemetry "));
    assertThat(traced).anyMatch(line -> line.contains("dev.baton.otel.OtelTracing "));
  }

  /** Runs the program with this classpath and JVM options; its output lines, after checking it exited 0. */
  private static List<String> run(String classpath, List<String> jvmOptions, String... args)
      throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classpath, WithoutOpenTelemetryProgram.class.getName()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean exited = process.waitFor(60, TimeUnit.SECONDS);
    assertThat(exited).as("the program ended").isTrue();
    assertThat(process.exitValue()).as("the program's exit code; it printed:%n%s", output).isZero();
    return output.lines().toList();
  }

  /** The classpath the tests run with; surefire hands it over in a property of its own. */
  private static String testClasspath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }
}
