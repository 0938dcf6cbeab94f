package dev.baton.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.store.RequestRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The live feed: rows become events in order, a stuck browser never holds up a request, closing ends streams. */
class RequestFeedTest {

  final RequestFeed feed = new RequestFeed(row -> "{\"id\":\"" + row.id() + "\""
      + (row.prompt() == null ? "" : ",\"prompt\":\"" + row.prompt() + "\"") + "}");

  static RequestRecord row(String id) {
    return RequestRecord.builder(Instant.now()).id(id).status(200).content("the prompt", "the answer").build();
  }

  /** What a listener has been sent, safe to read while it is written. */
  static final class Received extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      bytes.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      bytes.write(b, off, len);
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  Thread listen(OutputStream out) {
    return Thread.ofVirtual().start(() -> {
      try {
        feed.listen(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  static void await(Received received, String text) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!received.text().contains(text) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(received.text()).contains(text);
  }

  @Test
  void eachRowBecomesAnEventInOrderWithoutItsContent() throws Exception {
    Received received = new Received();
    Thread listener = listen(received);
    await(received, "retry: 2000\n\n");

    feed.publish(row("req_1"));
    feed.publish(row("req_2"));
    await(received, "req_2");
    feed.close();

    assertThat(listener.join(Duration.ofSeconds(5))).as("the stream ends when the feed closes").isTrue();
    assertThat(received.text()).isEqualTo("retry: 2000\n\n"
        + "event: request\ndata: {\"id\":\"req_1\"}\n\nevent: request\ndata: {\"id\":\"req_2\"}\n\n");
  }

  @Test
  void aBrowserThatStopsReadingNeverHoldsUpARequest() throws Exception {
    CountDownLatch stuck = new CountDownLatch(1);
    OutputStream neverReturns = new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        stuck.countDown();
        try {
          Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
          throw new UncheckedIOException(new IOException("gone"));
        }
      }
    };
    Thread listener = listen(neverReturns);
    assertThat(stuck.await(5, TimeUnit.SECONDS)).isTrue();

    for (int i = 0; i < RequestFeed.QUEUE * 5; i++) {
      feed.publish(row("req_" + i));
    }
    // Publishing returned: the rows past the queue's bound were dropped for this listener, not waited for.
    listener.interrupt();
    assertThat(listener.join(Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void aListenerGoesAwayWhenItsConnectionDoes() throws Exception {
    OutputStream closed = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("connection reset");
      }
    };
    Thread listener = listen(closed);
    assertThat(listener.join(Duration.ofSeconds(5))).isTrue();
    assertThat(feed.full()).isFalse();
    feed.publish(row("req_after")); // nobody listening: nothing to do
  }
}
