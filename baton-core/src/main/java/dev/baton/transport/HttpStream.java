package dev.baton.transport;

import dev.baton.UpstreamException;
import dev.baton.UpstreamTimeoutException.Phase;
import dev.baton.provider.Call;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A streamed upstream answer whose body keeps the attempt's time limits: until {@link #answerStarted()}
 * the first-token deadline applies; after it, each {@link #progress()} restarts the idle limit. When a
 * limit passes, the watchdog closes the connection and the blocked read fails with an
 * {@link dev.baton.UpstreamTimeoutException} that names the limit; other read failures become a
 * {@link dev.baton.ConnectionFailedException}.
 */
public final class HttpStream implements AutoCloseable {

  private final Call call;
  private final int status;
  private final Supplier<HttpHeaders> headers;
  private final InputStream raw;
  private final InputStream body;
  private volatile long lastProgress;
  private volatile boolean answering;
  private volatile @Nullable Phase fired;
  private volatile long firedDeadline;
  private volatile boolean closed;
  private volatile long idleNanos;
  private final Watchdog.Watched limits = this::checkLimits;

  HttpStream(Call call, int status, Supplier<HttpHeaders> headers, InputStream raw) {
    this.call = call;
    this.status = status;
    this.headers = headers;
    this.raw = raw;
    this.body = new WatchedBody();
    this.idleNanos = call.idleNanos();
    Watchdog.watch(limits);
  }

  public int status() {
    return status;
  }

  public HttpHeaders headers() {
    return headers.get();
  }

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  /** The body; a failed read throws an {@link UpstreamException} instead of an {@link IOException}. */
  public InputStream body() {
    return body;
  }

  /** Reads a (failed) answer's body whole, up to {@code limit} bytes, within the current time limit. */
  public byte[] readAll(int limit) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[4096];
    try {
      int n;
      while (out.size() < limit && (n = body.read(chunk, 0, Math.min(chunk.length, limit - out.size()))) >= 0) {
        out.write(chunk, 0, n);
      }
    } catch (IOException e) {
      throw failure(e);
    } finally {
      close();
    }
    return out.toByteArray();
  }

  /** The answer has begun: from now on the idle limit applies instead of the first-token limit. */
  public void answerStarted() {
    if (answering) {
      return;
    }
    lastProgress = System.nanoTime();
    answering = true;
  }

  /**
   * The answer is complete and only the end marker may still come: waits at most {@code graceNanos}
   * more, so an upstream that never sends {@code [DONE]} nor closes cannot hold the caller.
   */
  public void awaitingEnd(long graceNanos) {
    answerStarted();
    if (graceNanos < idleNanos) {
      lastProgress = System.nanoTime(); // the grace runs from now
      idleNanos = graceNanos;
    }
  }

  /** Whether a time limit fired and closed the stream. */
  public boolean expired() {
    return fired != null;
  }

  /** A chunk of the answer arrived; restarts the idle limit. */
  public void progress() {
    lastProgress = System.nanoTime();
  }

  /** The watchdog's look at this stream's current limit: the first token's, or the idle limit. */
  private boolean checkLimits(long now) {
    if (closed) {
      return false;
    }
    if (!answering) {
      long deadline = call.firstTokenDeadline();
      if (now - deadline >= 0) {
        expire(Phase.FIRST_TOKEN, deadline);
        return false;
      }
    } else {
      long due = lastProgress + idleNanos;
      if (now - due >= 0) {
        expire(Phase.IDLE, due);
        return false;
      }
    }
    return true;
  }

  private void expire(Phase phase, long deadline) {
    firedDeadline = deadline;
    fired = phase;
    closeQuietly();
  }

  private UpstreamException failure(IOException e) {
    Phase phase = fired;
    if (phase != null) {
      return call.timedOut(phase, firedDeadline);
    }
    if (closed) {
      throw new CancellationException("the stream was closed");
    }
    return call.connectionFailed("connection broken while streaming: " + describe(e), e);
  }

  static String describe(IOException e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  /** Closes the connection; a read blocked in another thread wakes up. */
  @Override
  public void close() {
    closed = true;
    closeQuietly();
  }

  private void closeQuietly() {
    Watchdog.unwatch(limits);
    try {
      raw.close();
    } catch (IOException ignored) {
      // Closing is best effort; the connection is gone either way.
    }
  }

  private final class WatchedBody extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      try {
        return raw.read(b, off, len);
      } catch (IOException e) {
        throw failure(e);
      }
    }

    @Override
    public void close() {
      HttpStream.this.close();
    }
  }
}
