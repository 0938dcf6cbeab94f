package dev.baton.server;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** One logging setup for the command: SLF4J everywhere, JDK and Helidon logging bridged into it. */
final class Logging {

  /** How long a log line may wait in the buffer before it reaches stderr. */
  static final long FLUSH_INTERVAL_NANOS = 20_000_000;

  private Logging() {}

  /**
   * @param server whether the command serves: a server logs at info (access lines, fallbacks); the
   *     one-shot commands print their own report and log only errors
   */
  static void configure(boolean server) {
    if (server) {
      bufferStandardError();
    } else if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    }
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }

  /**
   * A server writes a log line per request. Written one by one, each line is a system call; under load
   * that was a fifth of the gateway's writes. Lines are gathered instead and written together at most
   * {@link #FLUSH_INTERVAL_NANOS} later, and at exit.
   */
  private static void bufferStandardError() {
    PrintStream buffered = new PrintStream(
        new BufferedOutputStream(new FileOutputStream(FileDescriptor.err), 64 * 1024), false, StandardCharsets.UTF_8);
    System.setErr(buffered);
    Thread.ofPlatform().daemon().name("baton-log-flush").start(() -> {
      while (true) {
        LockSupport.parkNanos(FLUSH_INTERVAL_NANOS);
        buffered.flush();
      }
    });
    Runtime.getRuntime().addShutdownHook(new Thread(buffered::flush, "baton-log-flush-at-exit"));
  }
}
