package dev.baton.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Redis server for tests: the machine's {@code redis-server}, on a free loopback port, with no
 * persistence, in a temporary folder. Each test starts its own and closes it. Nothing is skipped: when the
 * binary is missing, starting fails and says what to install.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *   String url = redis.url();          // redis://127.0.0.1:PORT
 *   redis.kill(); redis.restart();     // an outage: killed, then back empty on the same port
 *   redis.freeze(); redis.thaw();      // a hung server: SIGSTOP, connections open but nothing answers
 * }
 * }</pre>
 *
 * <p>The binary is {@code $BATON_REDIS_SERVER}, else {@code redis-server} on the {@code PATH}, else
 * {@code /usr/bin/redis-server} (Debian's {@code redis-server} package, which {@code .ci/run} installs).
 */
public final class RedisServer implements AutoCloseable {

  private final Path binary;
  private final Path dir;
  private final int port;
  private final String password;
  private Process process;

  private RedisServer(Path binary, Path dir, int port, String password) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
    this.password = password;
  }

  /** A server without a password. */
  public static RedisServer start() {
    return start(null);
  }

  /** A server that requires {@code password} ({@code requirepass}); null for none. */
  public static RedisServer start(String password) {
    Path binary = binary();
    try {
      Path dir = Files.createTempDirectory("baton-redis-");
      RedisServer server = new RedisServer(binary, dir, freePort(), password);
      server.restart();
      // A test JVM that ends without closing it must not leave a redis-server behind.
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "redis-test-stop"));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a Redis folder: " + e.getMessage(), e);
    }
  }

  public int port() {
    return port;
  }

  /** {@code redis://[:password@]127.0.0.1:PORT}. */
  public String url() {
    return "redis://" + (password == null ? "" : ":" + password + "@") + "127.0.0.1:" + port;
  }

  /** An outage: the server dies at once (SIGKILL), dropping every connection and all its data. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** A hung server: stopped with SIGSTOP, so connections stay open and nothing answers. */
  public synchronized void freeze() {
    signal("STOP");
  }

  /** Ends {@link #freeze()}: the server goes on as if nothing happened. */
  public synchronized void thaw() {
    signal("CONT");
  }

  /** Starts the server (again) on the same port, empty; returns once it accepts connections. */
  public synchronized void restart() {
    if (process != null && process.isAlive()) {
      return;
    }
    List<String> command = new ArrayList<>(List.of(binary.toString(),
        "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", dir.toString(), "--daemonize", "no", "--protected-mode", "no", "--loglevel", "warning"));
    if (password != null) {
      command.addAll(List.of("--requirepass", password));
    }
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("server.log").toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() - deadline < 0) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited with " + process.exitValue() + ": " + log());
      }
      if (answersPing()) {
        return;
      }
      sleep(20);
    }
    throw new IllegalStateException("redis-server did not answer within 30 s on port " + port + ": " + log());
  }

  /** True while the server runs and answers. */
  public boolean answersPing() {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(1000);
      String auth = password == null ? "" : "AUTH " + password + "\r\n";
      socket.getOutputStream().write((auth + "PING\r\n").getBytes(StandardCharsets.UTF_8));
      byte[] buffer = new byte[64];
      int n = socket.getInputStream().read(buffer);
      return n > 0 && new String(buffer, 0, n, StandardCharsets.UTF_8).contains("PONG");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public synchronized void close() {
    if (process != null) {
      signal("CONT");
    }
    kill();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // a temporary folder; the system cleans it
    }
  }

  private void signal(String name) {
    if (process == null || !process.isAlive()) {
      return;
    }
    try {
      if (new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start().waitFor() != 0) {
        throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot signal redis-server: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("server.log")).strip();
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static Path binary() {
    String configured = System.getenv("BATON_REDIS_SERVER");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    Path debian = Path.of("/usr/bin/redis-server");
    if (Files.isExecutable(debian)) {
      return debian;
    }
    throw new IllegalStateException("the tests need redis-server and found none: install it (Debian/Ubuntu: "
        + "apt-get install redis-server; .ci/run does this) or set BATON_REDIS_SERVER");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "Redis on 127.0.0.1:" + port;
  }
}
