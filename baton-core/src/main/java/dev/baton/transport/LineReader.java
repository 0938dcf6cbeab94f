package dev.baton.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Reads lines of bytes ending in {@code \n}, {@code \r\n} or {@code \r}, without decoding them. The
 * current line is a view into a buffer that the next call reuses, so a reader of many small lines
 * allocates nothing per line.
 */
public final class LineReader {

  private final InputStream in;
  private final int maxLine;
  /**
   * Read ahead from the body. Small, because a gateway holds one per open stream and the body below
   * (a pooled connection's) is buffered already: a fuller read here would only copy more at once.
   */
  private final byte[] buffer = new byte[2048];
  private int position;
  private int limit;
  private byte[] line = new byte[256];
  private int lineLength;
  private boolean skipLineFeed;
  private boolean eof;

  /**
   * @param in the body to read
   * @param maxLine the longest line accepted; a longer one is an {@link IllegalStateException}, since
   *     an upstream that sends it is broken or hostile
   */
  public LineReader(InputStream in, int maxLine) {
    this.in = in;
    this.maxLine = maxLine;
  }

  /**
   * Advances to the next line. Returns false at the end of the body; a last line without a terminator
   * still counts as a line.
   */
  public boolean next() {
    lineLength = 0;
    while (true) {
      if (position == limit && !fill()) {
        return lineLength > 0;
      }
      if (skipLineFeed) {
        skipLineFeed = false;
        if (buffer[position] == '\n') {
          position++;
          continue;
        }
      }
      int start = position;
      while (position < limit) {
        byte b = buffer[position];
        if (b == '\n' || b == '\r') {
          append(start, position);
          position++;
          skipLineFeed = b == '\r';
          return true;
        }
        position++;
      }
      append(start, position);
    }
  }

  /** The current line's bytes, valid up to {@link #length()} and until the next call to {@link #next()}. */
  public byte[] bytes() {
    return line;
  }

  public int length() {
    return lineLength;
  }

  /** Whether the current line starts with {@code prefix}. */
  public boolean startsWith(byte[] prefix) {
    if (lineLength < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (line[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private void append(int from, int to) {
    int n = to - from;
    if (n == 0) {
      return;
    }
    if (lineLength + n > maxLine) {
      throw new IllegalStateException("a line longer than " + maxLine + " bytes");
    }
    if (lineLength + n > line.length) {
      line = Arrays.copyOf(line, Math.min(maxLine, Math.max(line.length * 2, lineLength + n)));
    }
    System.arraycopy(buffer, from, line, lineLength, n);
    lineLength += n;
  }

  private boolean fill() {
    if (eof) {
      return false;
    }
    try {
      int n = in.read(buffer, 0, buffer.length);
      if (n < 0) {
        eof = true;
        return false;
      }
      position = 0;
      limit = n;
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
