import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The small programs bench/load.sh needs beside wrk, in one file (compiled once by the script):
 *
 * <pre>
 * trickle PORT CHUNKS INTERVAL_MS
 *     a slow OpenAI-compatible upstream on 127.0.0.1:PORT that answers every POST with an SSE stream
 *     of CHUNKS content chunks, one every INTERVAL_MS, then a finish chunk and [DONE] (keep-alive)
 * stream URL BODY_FILE N WARMUP [HEADER:VALUE ...]
 *     N streamed requests one after another over one keep-alive connection (after WARMUP unmeasured
 *     ones); prints the time to the first SSE event and between the first and last event, p50/p90/p99
 * hold URL BODY_FILE N [HEADER:VALUE ...]
 *     N streamed requests at once, on N connections; prints when all N have their first event and how
 *     many ended complete
 * proxy PORT UPSTREAM_PORT
 *     a bare reverse proxy on 127.0.0.1:PORT to 127.0.0.1:UPSTREAM_PORT, built the way Baton is — a
 *     virtual thread per connection, blocking sockets, pooled keep-alive upstream connections — with no
 *     HTTP library, no JSON and no routing (Content-Length bodies only): what that threading model costs
 *     on its own
 * </pre>
 *
 * Raw sockets, HTTP/1.1, chunked or Content-Length bodies: the client adds as little of its own time
 * as it can, and the same to every target.
 */
public final class LoadProbe {

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "trickle" -> trickle(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "stream" -> stream(URI.create(args[1]), Files.readAllBytes(Path.of(args[2])), Integer.parseInt(args[3]),
          Integer.parseInt(args[4]), Arrays.copyOfRange(args, 5, args.length));
      case "hold" -> hold(URI.create(args[1]), Files.readAllBytes(Path.of(args[2])), Integer.parseInt(args[3]),
          Arrays.copyOfRange(args, 4, args.length));
      case "proxy" -> BareProxy.run(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
      default -> throw new IllegalArgumentException("unknown command " + args[0]);
    }
  }

  // ---------------------------------------------------------------- the slow upstream

  private static void trickle(int port, int chunks, int intervalMs) throws IOException {
    String head = "{\"id\":\"chatcmpl-trickle\",\"object\":\"chat.completion.chunk\",\"created\":1741570283,"
        + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,";
    byte[] role = event(head + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
    byte[] word = event(head + "\"delta\":{\"content\":\" word\"},\"finish_reason\":null}]}");
    byte[] finish = event(head + "\"delta\":{},\"finish_reason\":\"stop\"}]}");
    byte[] done = event("[DONE]");
    try (ServerSocket server = new ServerSocket()) {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
      System.out.println("trickle upstream on 127.0.0.1:" + port);
      var threads = Executors.newVirtualThreadPerTaskExecutor();
      while (true) {
        Socket socket = server.accept();
        threads.submit(() -> {
          try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
              Head request = readHead(in);
              if (request == null) {
                return null;
              }
              in.skipNBytes(Math.max(0, request.contentLength));
              out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                  + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
              writeChunk(out, role);
              for (int i = 0; i < chunks; i++) {
                Thread.sleep(intervalMs);
                writeChunk(out, word);
              }
              writeChunk(out, finish);
              writeChunk(out, done);
              out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
              out.flush();
            }
          } catch (IOException e) {
            return null; // the client went away
          }
        });
      }
    }
  }

  private static byte[] event(String data) {
    return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  private static void writeChunk(OutputStream out, byte[] data) throws IOException {
    out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(data);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  // ---------------------------------------------------------------- sequential streams: time to first event

  private static void stream(URI url, byte[] body, int n, int warmup, String[] headers) throws IOException {
    byte[] request = request(url, body, headers);
    long[] first = new long[n];
    long[] spread = new long[n];
    int events = 0;
    int failures = 0;
    Socket socket = connect(url);
    for (int i = -warmup; i < n; i++) {
      Exchange x;
      try {
        x = exchange(socket, request);
      } catch (IOException e) {
        socket.close();
        socket = connect(url);
        failures++;
        i--;
        if (failures > 50) {
          throw e;
        }
        continue;
      }
      if (x.status != 200 || x.events.size() < 2) {
        throw new IOException("status " + x.status + " with " + x.events.size() + " events: "
            + new String(x.body, StandardCharsets.UTF_8));
      }
      if (x.close) {
        socket.close();
        socket = connect(url);
      }
      if (i >= 0) {
        first[i] = x.events.get(0) - x.sent;
        spread[i] = x.events.get(x.events.size() - 1) - x.events.get(0);
        events = x.events.size();
      }
    }
    socket.close();
    Arrays.sort(first);
    Arrays.sort(spread);
    System.out.printf(Locale.ROOT, "requests=%d events=%d%n", n, events);
    System.out.printf(Locale.ROOT, "first_event_us p50=%.1f p90=%.1f p99=%.1f%n",
        pct(first, 50), pct(first, 90), pct(first, 99));
    System.out.printf(Locale.ROOT, "first_to_last_us p50=%.1f p90=%.1f p99=%.1f%n",
        pct(spread, 50), pct(spread, 90), pct(spread, 99));
  }

  private static double pct(long[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
  }

  // ---------------------------------------------------------------- many streams at once

  private static void hold(URI url, byte[] body, int n, String[] headers) throws Exception {
    byte[] request = request(url, body, headers);
    CountDownLatch opened = new CountDownLatch(n);
    AtomicInteger complete = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    long start = System.nanoTime();
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        threads.submit(() -> {
          boolean counted = false;
          try (Socket socket = connect(url)) {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Head head = readHead(in);
            if (head == null || head.status != 200) {
              throw new IOException("status " + (head == null ? "none" : head.status));
            }
            Events sink = new Events(() -> opened.countDown());
            readBody(in, head, sink);
            counted = sink.count > 0;
            if (sink.count >= 3) {
              complete.incrementAndGet();
            } else {
              failed.incrementAndGet();
            }
          } catch (IOException e) {
            failed.incrementAndGet();
            if (errors.size() < 5) {
              errors.add(e.toString());
            }
            if (!counted) {
              opened.countDown();
            }
          }
          return null;
        });
        if (i % 50 == 49) {
          Thread.sleep(5); // a ramp, not a SYN flood: the listen backlog is finite
        }
      }
      boolean all = opened.await(120, TimeUnit.SECONDS);
      System.out.printf(Locale.ROOT, "all_first_events_ms=%d all=%s%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), all);
      System.out.flush();
    }
    System.out.printf(Locale.ROOT, "streams=%d complete=%d failed=%d seconds=%.1f%n", n, complete.get(),
        failed.get(), (System.nanoTime() - start) / 1e9);
    errors.forEach(e -> System.out.println("error " + e));
  }

  // ---------------------------------------------------------------- HTTP/1.1

  private static Socket connect(URI url) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 10_000);
    socket.setSoTimeout(120_000);
    return socket;
  }

  private static byte[] request(URI url, byte[] body, String[] headers) {
    StringBuilder head = new StringBuilder()
        .append("POST ").append(url.getRawPath()).append(" HTTP/1.1\r\n")
        .append("Host: ").append(url.getHost()).append(':').append(url.getPort()).append("\r\n")
        .append("Content-Type: application/json\r\n")
        .append("Accept: text/event-stream\r\n")
        .append("Content-Length: ").append(body.length).append("\r\n");
    for (String h : headers) {
      head.append(h).append("\r\n");
    }
    head.append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body);
    return out.toByteArray();
  }

  private record Head(int status, boolean chunked, long contentLength, boolean close) {}

  /** One request/response on an open connection: when it was sent and when each SSE event arrived. */
  private static final class Exchange {
    long sent;
    int status;
    boolean close;
    List<Long> events = new ArrayList<>();
    byte[] body = new byte[0];
  }

  private static final java.util.Map<Socket, InputStream> INPUTS = new java.util.HashMap<>();

  private static Exchange exchange(Socket socket, byte[] request) throws IOException {
    InputStream in = INPUTS.computeIfAbsent(socket, s -> {
      try {
        return new BufferedInputStream(s.getInputStream());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    Exchange x = new Exchange();
    OutputStream out = socket.getOutputStream();
    x.sent = System.nanoTime();
    out.write(request);
    out.flush();
    Head head = readHead(in);
    if (head == null) {
      INPUTS.remove(socket);
      throw new IOException("connection closed");
    }
    x.status = head.status;
    x.close = head.close;
    Events sink = new Events(null);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    sink.copy = body;
    readBody(in, head, sink);
    x.events = sink.times;
    x.body = body.toByteArray();
    if (x.close) {
      INPUTS.remove(socket);
    }
    return x;
  }

  private static Head readHead(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    List<String> lines = new ArrayList<>();
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (lines.isEmpty() && line.size() == 0) {
          return null;
        }
        throw new IOException("connection closed in the head");
      }
      if (b == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
        line.reset();
        if (text.isEmpty()) {
          if (lines.isEmpty()) {
            continue;
          }
          break;
        }
        lines.add(text);
      } else {
        line.write(b);
      }
    }
    String first = lines.get(0);
    int status = first.startsWith("HTTP/") ? Integer.parseInt(first.split(" ")[1]) : 0;
    boolean chunked = false;
    long length = first.startsWith("HTTP/") ? -1 : 0;
    boolean close = false;
    for (String h : lines.subList(1, lines.size())) {
      int colon = h.indexOf(':');
      String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).trim();
      switch (name) {
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "content-length" -> length = Long.parseLong(value);
        case "connection" -> close = value.equalsIgnoreCase("close");
        default -> {}
      }
    }
    return new Head(status, chunked, length, close);
  }

  /** Counts SSE events (a blank line ends one) as bytes arrive, noting when each arrived. */
  private static final class Events {
    final List<Long> times = new ArrayList<>();
    final Runnable onFirst;
    ByteArrayOutputStream copy;
    int count;
    int newlines;

    Events(Runnable onFirst) {
      this.onFirst = onFirst;
    }

    void accept(byte[] b, int n, long now) {
      if (copy != null && copy.size() < 4096) {
        copy.write(b, 0, n);
      }
      for (int i = 0; i < n; i++) {
        byte c = b[i];
        if (c == '\n') {
          if (++newlines == 2) {
            count++;
            times.add(now);
            if (count == 1 && onFirst != null) {
              onFirst.run();
            }
          }
        } else if (c != '\r') {
          newlines = 0;
        }
      }
    }
  }

  private static void readBody(InputStream in, Head head, Events sink) throws IOException {
    byte[] buffer = new byte[16384];
    if (head.chunked) {
      while (true) {
        String size = readLine(in);
        int semi = size.indexOf(';');
        long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
        if (n == 0) {
          while (!readLine(in).isEmpty()) {
            // trailers
          }
          return;
        }
        readExactly(in, n, buffer, sink);
        readLine(in);
      }
    }
    if (head.contentLength >= 0) {
      readExactly(in, head.contentLength, buffer, sink);
      return;
    }
    int r;
    while ((r = in.read(buffer)) >= 0) {
      sink.accept(buffer, r, System.nanoTime());
    }
  }

  private static void readExactly(InputStream in, long n, byte[] buffer, Events sink) throws IOException {
    while (n > 0) {
      int r = in.read(buffer, 0, (int) Math.min(buffer.length, n));
      if (r < 0) {
        throw new IOException("connection closed in the body");
      }
      sink.accept(buffer, r, System.nanoTime());
      n -= r;
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder s = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        s.append((char) b);
      }
    }
    if (b < 0) {
      throw new IOException("connection closed");
    }
    return s.toString();
  }

  // ---------------------------------------------------------------- the bare proxy

  /** See {@code proxy} above. Each message is read whole, head and body, then written in one write. */
  private static final class BareProxy {
    private static final java.util.concurrent.ConcurrentLinkedDeque<Messages> IDLE =
        new java.util.concurrent.ConcurrentLinkedDeque<>();

    static void run(int port, int upstreamPort) throws IOException {
      try (ServerSocket server = new ServerSocket()) {
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
        System.out.println("bare proxy on 127.0.0.1:" + port);
        while (true) {
          Socket client = server.accept();
          Thread.ofVirtual().start(() -> {
            try (client) {
              client.setTcpNoDelay(true);
              Messages in = new Messages(client);
              byte[] request;
              while ((request = in.next()) != null) {
                Messages upstream = IDLE.pollFirst();
                if (upstream == null) {
                  Socket socket = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                  socket.setTcpNoDelay(true);
                  upstream = new Messages(socket);
                }
                upstream.socket.getOutputStream().write(request);
                byte[] answer = upstream.next();
                if (answer == null) {
                  return;
                }
                IDLE.offerFirst(upstream);
                client.getOutputStream().write(answer);
              }
            } catch (IOException e) {
              // the client or the upstream went away
            }
          });
        }
      }
    }

    /** HTTP/1.1 messages with Content-Length bodies, read whole from one socket. */
    private static final class Messages {
      final Socket socket;
      final InputStream in;
      final byte[] buffer = new byte[16 * 1024];
      int position;
      int limit;

      Messages(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
      }

      byte[] next() throws IOException {
        while (true) {
          for (int i = position; i + 3 < limit; i++) {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
              int head = i + 4 - position;
              byte[] message = new byte[head + contentLength(position, i + 4)];
              int have = Math.min(limit - position, message.length);
              System.arraycopy(buffer, position, message, 0, have);
              position += have;
              in.readNBytes(message, have, message.length - have);
              return message;
            }
          }
          if (position == limit) {
            position = limit = 0;
          } else if (limit == buffer.length) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
          }
          int n = in.read(buffer, limit, buffer.length - limit);
          if (n < 0) {
            return null;
          }
          limit += n;
        }
      }

      private int contentLength(int from, int to) {
        String head = new String(buffer, from, to - from, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        int at = head.indexOf("\ncontent-length:");
        return at < 0 ? 0 : Integer.parseInt(head.substring(at + 16, head.indexOf('\r', at + 1)).trim());
      }
    }
  }
}
