package dev.baton.server;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
    if (System.getProperty("org.slf4j.simpleLogger.log.ai.djl") == null) {
      // DJL's tokenizer warns at every start that a CUDA runtime without a driver has no GPUs: noise, since
      // local models run on the CPU by design.
      System.setProperty("org.slf4j.simpleLogger.log.ai.djl", "error");
    }
    // The connection pool and the migration tool narrate every start (a dozen lines); the gateway says in one
    // line which database it opened, and their warnings and errors still show.
    quiet("com.zaxxer.hikari");
    quiet("org.flywaydb");
    // While Redis is away, Lettuce warns at every reconnect attempt (several a second); the gateway warns once
    // per outage and says when Redis is back (contract section 8), and Lettuce's errors still show.
    quiet("io.lettuce.core", "error");
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }

  private static void quiet(String logger) {
    quiet(logger, "warn");
  }

  private static void quiet(String logger, String level) {
    String property = "org.slf4j.simpleLogger.log." + logger;
    if (System.getProperty(property) == null) {
      System.setProperty(property, level);
    }
  }

  /**
   * A server writes a log line per request. Written one by one, each line is a system call; under load
   * that was a fifth of the gateway's writes. Lines are gathered instead and written together at most
   * {@link #FLUSH_INTERVAL_NANOS} later, and at exit.
   */
  private static void bufferStandardError() {
    DeferredFlushStream buffered = new DeferredFlushStream(new FileOutputStream(FileDescriptor.err));
    System.setErr(new PrintStream(buffered, false, StandardCharsets.UTF_8));
    Thread.ofPlatform().daemon().name("baton-log-flush").start(() -> {
      while (true) {
        LockSupport.parkNanos(FLUSH_INTERVAL_NANOS);
        buffered.flushNow();
      }
    });
    Runtime.getRuntime().addShutdownHook(new Thread(buffered::flushNow, "baton-log-flush-at-exit"));
  }

  /**
   * A buffer whose {@code flush()} waits for the flushing thread: slf4j-simple flushes after every line
   * it prints, which would make each line a system call again.
   */
  static final class DeferredFlushStream extends BufferedOutputStream {

    DeferredFlushStream(OutputStream out) {
      super(out, 64 * 1024);
    }

    /** Left to {@link #flushNow()}; bytes stay buffered. */
    @Override
    public void flush() {}

    /** Writes out what is buffered. */
    void flushNow() {
      try {
        super.flush();
      } catch (IOException e) {
        // stderr is gone (a closed pipe): there is nowhere left to report it
      }
    }
  }
}
