package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoggingTest {

  @Test
  void aLoggersFlushAfterEachLineLeavesTheLineBufferedUntilTheFlushingThreadWritesIt() {
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    Logging.DeferredFlushStream buffered = new Logging.DeferredFlushStream(stderr);
    PrintStream err = new PrintStream(buffered, false, StandardCharsets.UTF_8);

    err.println("first access line");
    err.flush(); // what slf4j-simple does after every line
    err.println("second access line");
    err.flush();

    assertThat(stderr.size()).as("bytes written before the flushing thread ran").isZero();
    buffered.flushNow();
    assertThat(stderr.toString(StandardCharsets.UTF_8))
        .isEqualTo("first access line" + System.lineSeparator() + "second access line" + System.lineSeparator());
  }
}
