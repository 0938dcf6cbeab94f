package dev.baton.transport;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP/1.1 answer's status line and headers, read straight from the bytes they came in. Only what
 * frames the body (status, {@code Content-Length}, {@code Transfer-Encoding}, {@code Connection}) is
 * read at once; the headers as a whole are parsed only if someone asks for them, which on the usual
 * path — a successful answer — nobody does.
 */
final class ResponseHead implements Supplier<HttpHeaders> {

  final int status;
  final boolean http10;
  /** {@code Content-Length}, or -1 when there is none. */
  final long contentLength;
  final boolean chunked;
  /** Whether the server said it closes the connection after this answer (or did not say it keeps it, in 1.0). */
  final boolean close;
  /** The header lines, as they came. */
  private final byte[] headerLines;
  private @Nullable HttpHeaders headers;

  private ResponseHead(int status, boolean http10, long contentLength, boolean chunked, boolean close, byte[] headerLines) {
    this.status = status;
    this.http10 = http10;
    this.contentLength = contentLength;
    this.chunked = chunked;
    this.close = close;
    this.headerLines = headerLines;
  }

  /**
   * Where the head that starts at {@code from} ends: just after the blank line that closes it, or -1 if
   * {@code b[from, limit)} does not hold all of it yet. Lines may end with CRLF or a bare LF.
   */
  static int end(byte[] b, int from, int limit) {
    for (int i = from; i < limit; i++) {
      if (b[i] == '\n' && i > from) {
        if (i + 1 < limit && b[i + 1] == '\n') {
          return i + 2;
        }
        if (i + 2 < limit && b[i + 1] == '\r' && b[i + 2] == '\n') {
          return i + 3;
        }
      }
    }
    return -1;
  }

  /** Parses the head in {@code b[from, end)}, as found by {@link #end}. */
  static ResponseHead parse(byte[] b, int from, int end) throws IOException {
    int lineEnd = lineEnd(b, from, end);
    int statusLineEnd = trimEnd(b, from, lineEnd);
    if (statusLineEnd - from < 12 || !startsWith(b, from, "HTTP/1.")) {
      throw new IOException("not an HTTP/1.1 answer: " + printable(b, from, statusLineEnd));
    }
    int status = 0;
    for (int i = from + 9; i < from + 12; i++) {
      if (b[i] < '0' || b[i] > '9') {
        throw new IOException("not an HTTP status line: " + printable(b, from, statusLineEnd));
      }
      status = status * 10 + b[i] - '0';
    }
    boolean http10 = b[from + 7] == '0';
    long contentLength = -1;
    boolean chunked = false;
    boolean transferEncoding = false;
    boolean close = false;
    boolean keepAlive = false;
    int headersStart = lineEnd + 1;
    for (int line = headersStart; ; ) {
      int next = lineEnd(b, line, end);
      int stop = trimEnd(b, line, next);
      if (stop == line) {
        break; // the blank line
      }
      int colon = indexOf(b, ':', line, stop);
      if (colon <= line) {
        throw new IOException("a malformed header line: " + printable(b, line, stop));
      }
      int nameEnd = trimEnd(b, line, colon);
      int value = trimStart(b, colon + 1, stop);
      if (contentLength < 0 && is(b, line, nameEnd, "content-length")) {
        contentLength = digits(b, value, stop);
      } else if (!transferEncoding && is(b, line, nameEnd, "transfer-encoding")) {
        transferEncoding = true;
        chunked = contains(b, value, stop, "chunked");
      } else if (is(b, line, nameEnd, "connection")) {
        close |= contains(b, value, stop, "close");
        keepAlive |= contains(b, value, stop, "keep-alive");
      }
      line = next + 1;
    }
    return new ResponseHead(status, http10, contentLength, chunked, http10 ? !keepAlive : close,
        Arrays.copyOfRange(b, headersStart, end));
  }

  /** All the headers; parsed on the first call. */
  @Override
  public HttpHeaders get() {
    HttpHeaders h = headers;
    if (h == null) {
      // Merged case-blind: HttpHeaders refuses two names that differ only in case.
      Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      byte[] b = headerLines;
      for (int line = 0; line < b.length; ) {
        int next = lineEnd(b, line, b.length);
        int stop = trimEnd(b, line, next);
        int colon = indexOf(b, ':', line, stop);
        if (colon > line) {
          String name = ascii(b, line, trimEnd(b, line, colon));
          map.computeIfAbsent(name, k -> new ArrayList<>(1)).add(ascii(b, trimStart(b, colon + 1, stop), stop));
        }
        line = next + 1;
      }
      h = HttpHeaders.of(map, (name, value) -> true);
      headers = h;
    }
    return h;
  }

  /** The index of the line's {@code \n}, or {@code end}. */
  private static int lineEnd(byte[] b, int from, int end) {
    int i = indexOf(b, '\n', from, end);
    return i < 0 ? end : i;
  }

  private static int indexOf(byte[] b, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  private static int trimEnd(byte[] b, int from, int to) {
    while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t' || b[to - 1] == '\r')) {
      to--;
    }
    return to;
  }

  private static int trimStart(byte[] b, int from, int to) {
    while (from < to && (b[from] == ' ' || b[from] == '\t')) {
      from++;
    }
    return from;
  }

  private static boolean startsWith(byte[] b, int from, String prefix) {
    for (int i = 0; i < prefix.length(); i++) {
      if (b[from + i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code b[from, to)} is {@code lowerCaseName}, ignoring ASCII case. */
  private static boolean is(byte[] b, int from, int to, String lowerCaseName) {
    if (to - from != lowerCaseName.length()) {
      return false;
    }
    for (int i = 0; i < lowerCaseName.length(); i++) {
      int c = b[from + i];
      if (c >= 'A' && c <= 'Z') {
        c += 'a' - 'A';
      }
      if (c != lowerCaseName.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the comma-separated list in {@code b[from, to)} holds the token, ignoring case. */
  private static boolean contains(byte[] b, int from, int to, String lowerCaseToken) {
    for (int start = from; start < to; ) {
      int comma = indexOf(b, ',', start, to);
      int stop = comma < 0 ? to : comma;
      if (is(b, trimStart(b, start, stop), trimEnd(b, start, stop), lowerCaseToken)) {
        return true;
      }
      start = stop + 1;
    }
    return false;
  }

  private static long digits(byte[] b, int from, int to) throws IOException {
    if (from == to || to - from > 18) {
      throw new IOException("a malformed Content-Length");
    }
    long n = 0;
    for (int i = from; i < to; i++) {
      if (b[i] < '0' || b[i] > '9') {
        throw new IOException("a malformed Content-Length");
      }
      n = n * 10 + b[i] - '0';
    }
    return n;
  }

  private static String ascii(byte[] b, int from, int to) {
    return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
  }

  private static String printable(byte[] b, int from, int to) {
    String s = ascii(b, from, Math.min(to, from + 80)) + (to - from > 80 ? "..." : "");
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
