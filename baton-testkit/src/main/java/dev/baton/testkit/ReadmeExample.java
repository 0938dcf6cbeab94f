package dev.baton.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A README's code block as a program: read from the repository's README, compiled with the test
 * classpath, and run in a JVM of its own with the environment a user would set — so the example the
 * README shows is exactly the one that runs, not a copy of it.
 *
 * <pre>{@code
 * String source = ReadmeExample.block("```java", "The LangChain4j example");
 * String printed = ReadmeExample.run(source, Map.of("OPENAI_BASE_URL", fake.url("/v1")), workDir);
 * assertThat(printed).isEqualTo(ReadmeExample.block("```text", "it prints"));
 * }</pre>
 */
public final class ReadmeExample {

  private static final Pattern PUBLIC_CLASS = Pattern.compile("public\\s+(?:final\\s+)?class\\s+(\\w+)");
  private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

  /** Variables a developer's shell may hold that must not reach an example run against fakes. */
  private static final List<String> CLEARED = List.of("OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY",
      "ANTHROPIC_BASE_URL", "GEMINI_API_KEY", "OLLAMA_HOST", "AZURE_API_KEY", "JAVA_TOOL_OPTIONS");

  private ReadmeExample() {}

  /**
   * The first block opening with {@code fence} (such as {@code ```java}) after the first line of the
   * repository's README that contains {@code marker}, without its fences.
   */
  public static String block(String fence, String marker) {
    String text = readme();
    int at = text.indexOf(marker);
    if (at < 0) {
      throw new AssertionError("the README has no line containing: " + marker);
    }
    int open = text.indexOf(fence + "\n", at);
    if (open < 0) {
      throw new AssertionError("the README has no " + fence + " block after: " + marker);
    }
    int start = open + fence.length() + 1;
    return text.substring(start, text.indexOf("```", start));
  }

  /**
   * Compiles a Java source (one public class with a {@code main}) against this JVM's test classpath,
   * runs it in a new JVM with {@code environment} added to a cleaned copy of this process's
   * environment, and returns what it printed. Fails with the compiler's or the program's own output.
   */
  public static String run(String source, Map<String, String> environment, Path workDir) {
    Matcher m = PUBLIC_CLASS.matcher(source);
    if (!m.find()) {
      throw new AssertionError("the example has no public class:\n" + source);
    }
    Matcher pkg = PACKAGE.matcher(source);
    String packageName = pkg.find() ? pkg.group(1) : "";
    String className = packageName.isEmpty() ? m.group(1) : packageName + "." + m.group(1);
    try {
      Path sources = Files.createDirectories(workDir.resolve("src").resolve(packageName.replace('.', '/')));
      Path classes = Files.createDirectories(workDir.resolve("classes"));
      Path file = sources.resolve(m.group(1) + ".java");
      Files.writeString(file, source, StandardCharsets.UTF_8);
      String classpath = testClasspath();
      compile(file, classes, classpath);
      return execute(className, classes + java.io.File.pathSeparator + classpath, environment, workDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void compile(Path file, Path classes, String classpath) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new AssertionError("this JVM has no Java compiler; run the tests on a JDK");
    }
    java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
    int status = javac.run(null, errors, errors, "-proc:none", "-parameters", "-d", classes.toString(),
        "-cp", classpath, file.toString());
    if (status != 0) {
      throw new AssertionError("the README example does not compile:\n" + errors.toString(StandardCharsets.UTF_8));
    }
  }

  private static String execute(String className, String classpath, Map<String, String> environment, Path workDir)
      throws IOException {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>(List.of(java, "-cp", classpath, className));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    CLEARED.forEach(builder.environment()::remove);
    builder.environment().putAll(environment);
    Path stderr = workDir.resolve("stderr.txt");
    builder.redirectError(stderr.toFile());
    Process process = builder.start();
    byte[] out;
    try (var in = process.getInputStream()) {
      out = in.readAllBytes();
    }
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the README example did not end within 120 s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while the README example ran");
    }
    String printed = new String(out, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new AssertionError("the README example exited with " + process.exitValue() + "; it printed:\n" + printed
          + "\nand on stderr:\n" + Files.readString(stderr, StandardCharsets.UTF_8));
    }
    return printed;
  }

  /** The classpath the tests run with; surefire hands it over in a property of its own. */
  private static String testClasspath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }

  private static String readme() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("README.md"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new AssertionError("no README.md in the working directory or above it");
    }
    try {
      return Files.readString(dir.resolve("README.md"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
