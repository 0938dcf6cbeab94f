package dev.baton.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: the machine's own binaries, a throwaway cluster in a temporary
 * folder, a free loopback port, trust authentication for the user {@code postgres}. Nothing is skipped:
 * when the binaries are missing, starting fails and says what to install.
 *
 * <p>{@code initdb} and {@code postgres} refuse to run as root, and CI runs as root, so as root every
 * command runs as the {@code postgres} user (which Debian's {@code postgresql} package creates) through
 * {@code runuser}. The binaries are found in {@code $BATON_PG_BIN}, else the newest
 * {@code /usr/lib/postgresql/N/bin}, else through {@code pg_config --bindir}.
 *
 * <pre>{@code
 * PostgresServer pg = PostgresServer.shared();           // one cluster for the whole test JVM
 * String url = pg.jdbcUrl(pg.createDatabase());          // a fresh database per test class
 * pg.kill(); pg.restart();                               // an outage: immediate stop, then back
 * }</pre>
 */
public final class PostgresServer implements AutoCloseable {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final String FOLDER_PREFIX = "baton-pg-";
  private static final String OWNER_FILE = "0-owner.pid";
  private static PostgresServer shared;

  private final Path bin;
  private final Path dataDir;
  private final int port;
  private final boolean asRoot;

  private PostgresServer(Path bin, Path dataDir, int port, boolean asRoot) {
    this.bin = bin;
    this.dataDir = dataDir;
    this.port = port;
    this.asRoot = asRoot;
  }

  /** One server for the whole test JVM, started on first use and stopped when the JVM exits. */
  public static synchronized PostgresServer shared() {
    if (shared == null) {
      PostgresServer server = start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-test-stop"));
      shared = server;
    }
    return shared;
  }

  /** A server of its own, for a test that stops and restarts it. Close it when done. */
  public static PostgresServer start() {
    Path bin = binaries();
    boolean asRoot = "root".equals(System.getProperty("user.name"));
    sweepLeftovers();
    try {
      Path dir = Files.createTempDirectory(FOLDER_PREFIX);
      // Names the JVM that owns the cluster; sorts first, so a deletion cut short leaves it for the sweep.
      Files.writeString(dir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
      if (asRoot) {
        UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        Files.setOwner(dir, postgres);
      }
      PostgresServer server = new PostgresServer(bin, dir, freePort(), asRoot);
      server.run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
          "--auth=trust", "--encoding=UTF8", "--no-sync", "--no-instructions"));
      server.restart();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a PostgreSQL data folder: " + e.getMessage(), e);
    }
  }

  public int port() {
    return port;
  }

  /** The cluster's files, for tests that look into what the database wrote. */
  public Path dataDirectory() {
    return dataDir.resolve("data");
  }

  /** A new, empty database; its name. */
  public String createDatabase() {
    String name = "baton_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    run(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres",
        name));
    return name;
  }

  /** {@code jdbc:postgresql://127.0.0.1:PORT/DATABASE}; the user is {@code postgres}, no password. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** An outage: the server stops at once, as if killed, dropping every connection mid-query. */
  public void kill() {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.resolve("data").toString(), "-m", "immediate",
        "-w", "stop"));
  }

  /**
   * A hung database: the server and its backends are stopped (SIGSTOP), so connections stay open and
   * connecting still succeeds at the TCP level, but nothing answers — the hardest outage for a client.
   */
  public void freeze() {
    signal("STOP");
  }

  /** Ends {@link #freeze()}: the server answers again, as if nothing happened. */
  public void thaw() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      String postmaster = Files.readAllLines(dataDir.resolve("data/postmaster.pid")).get(0).strip();
      Process children = new ProcessBuilder("ps", "-o", "pid=", "--ppid", postmaster).redirectErrorStream(true).start();
      List<String> pids = new ArrayList<>(List.of(postmaster));
      for (String line : new String(children.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\\s+")) {
        if (!line.isBlank()) {
          pids.add(line.strip());
        }
      }
      children.waitFor();
      List<String> command = new ArrayList<>(List.of("kill", "-" + name));
      command.addAll(pids);
      if (new ProcessBuilder(command).redirectErrorStream(true).start().waitFor() != 0) {
        throw new IllegalStateException("kill -" + name + " " + pids + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot signal the PostgreSQL server: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the server (again) on the same port and data. */
  public void restart() {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.resolve("data").toString(),
        "-l", dataDir.resolve("server.log").toString(), "-w", "-t", "60",
        "-o", "-p " + port + " -h 127.0.0.1 -k " + dataDir + " -c fsync=off -c max_connections=200",
        "start"));
  }

  /** True while the server accepts connections. */
  public boolean isRunning() {
    try {
      return exec(List.of(bin.resolve("pg_isready").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port)))
          .exitCode == 0;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    try {
      exec(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.resolve("data").toString(), "-m", "immediate",
          "-w", "stop"));
    } catch (IOException ignored) {
      // already gone
    }
    // The server's last processes may still be removing files as it stops: try again for a moment.
    for (int attempt = 0; attempt < 20 && Files.exists(dataDir); attempt++) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException | java.io.UncheckedIOException e) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void run(List<String> command) {
    Result result;
    try {
      result = exec(command);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    }
    if (result.exitCode != 0) {
      throw new IllegalStateException(Path.of(command.get(0)).getFileName() + " failed (exit " + result.exitCode
          + "): " + result.output.strip() + serverLog());
    }
  }

  private Result exec(List<String> command) throws IOException {
    List<String> full = new ArrayList<>();
    if (asRoot) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Process process = new ProcessBuilder(full).directory(dataDir.toFile()).redirectErrorStream(true).start();
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish within 120 s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.exitValue(), output);
  }

  private String serverLog() {
    Path log = dataDir.resolve("server.log");
    try {
      List<String> lines = Files.readAllLines(log);
      return lines.isEmpty() ? "" : "\nserver log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20),
          lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  private static Path binaries() {
    String configured = System.getenv("BATON_PG_BIN");
    if (configured != null && !configured.isBlank()) {
      Path bin = Path.of(configured);
      if (!Files.isExecutable(bin.resolve("initdb"))) {
        throw new IllegalStateException("BATON_PG_BIN=" + configured + " has no initdb");
      }
      return bin;
    }
    Path versions = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(versions)) {
      try (Stream<Path> dirs = Files.list(versions)) {
        Path newest = dirs.filter(d -> Files.isExecutable(d.resolve("bin/initdb")))
            .max(Comparator.comparingInt(PostgresServer::majorVersion)).orElse(null);
        if (newest != null) {
          return newest.resolve("bin");
        }
      } catch (IOException ignored) {
        // fall through to pg_config
      }
    }
    try {
      Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor() == 0 && Files.isExecutable(Path.of(out, "initdb"))) {
        return Path.of(out);
      }
    } catch (IOException | InterruptedException ignored) {
      // not installed
    }
    throw new IllegalStateException("the tests need PostgreSQL's server binaries (initdb, pg_ctl) and found none: "
        + "install them (Debian/Ubuntu: apt-get install postgresql; .ci/run does this) or set BATON_PG_BIN");
  }

  /**
   * Removes clusters left by test JVMs that are gone: a JVM halted at exit (as a test runner may do) does
   * not finish its shutdown hook. A cluster whose owner is alive, or whose folder has no owner, is left.
   */
  private static void sweepLeftovers() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> dirs = Files.list(tmp)) {
      for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(FOLDER_PREFIX)).toList()) {
        Path owner = dir.resolve(OWNER_FILE);
        try {
          long pid = Long.parseLong(Files.readString(owner).strip());
          if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
              || Files.exists(dir.resolve("data/postmaster.pid"))) {
            continue;
          }
        } catch (IOException | NumberFormatException e) {
          continue;
        }
        try (Stream<Path> files = Files.walk(dir)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException ignored) {
          // the next sweep tries again
        }
      }
    } catch (IOException ignored) {
      // nothing to sweep
    }
  }

  private static int majorVersion(Path dir) {
    String name = dir.getFileName().toString();
    return name.chars().allMatch(Character::isDigit) ? Integer.parseInt(name) : -1;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public String toString() {
    return "PostgreSQL " + bin.getParent().getFileName() + " on 127.0.0.1:" + port
        + (asRoot ? " (run as the user postgres)" : "");
  }

  private record Result(int exitCode, String output) {}
}
