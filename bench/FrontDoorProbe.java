import dev.baton.Baton;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.wire.OpenAiRequestReader;
import dev.baton.wire.OpenAiResponseWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A measurement, not a server: Baton's request path (OpenAiRequestReader, the router, the OpenAI provider,
 * OpenAiResponseWriter) behind the least HTTP/1.1 front door that serves bench/load.sh's requests — a
 * virtual thread per connection, keep-alive, Content-Length bodies only, no metrics, no access log, no
 * limits. Against bin/baton serve on the same config it shows what Helidon and the gateway's own
 * bookkeeping cost per request (BENCHMARKS.md, "Unmet targets").
 *
 * <p>bench/load.sh runs it as one of its targets ("frontdoor"). By hand, with a JDK 21+ (the gateway's jar
 * names its dependencies in its manifest, so it is the whole class path):
 *
 * <pre>
 * javac -cp baton-server/target/baton-server.jar -d /tmp/probe bench/FrontDoorProbe.java
 * java -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:GCTimeRatio=4 \
 *     -cp /tmp/probe:baton-server/target/baton-server.jar FrontDoorProbe PORT baton.yaml
 * </pre>
 *
 */
public final class FrontDoorProbe {

  public static void main(String[] args) throws IOException {
    Baton baton = Baton.fromConfig(Path.of(args[1]));
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 4096);
      while (true) {
        Socket socket = server.accept();
        socket.setTcpNoDelay(true);
        Thread.ofVirtual().start(() -> serve(socket, baton));
      }
    }
  }

  private static void serve(Socket socket, Baton baton) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      byte[] buffer = new byte[64 * 1024];
      int filled = 0;
      while (true) {
        int headEnd;
        while ((headEnd = headEnd(buffer, filled)) < 0) {
          int n = in.read(buffer, filled, buffer.length - filled);
          if (n < 0) {
            return;
          }
          filled += n;
        }
        int bodyStart = headEnd + 4;
        int bodyEnd = bodyStart + contentLength(new String(buffer, 0, headEnd, StandardCharsets.ISO_8859_1));
        while (filled < bodyEnd) {
          int n = in.read(buffer, filled, buffer.length - filled);
          if (n < 0) {
            return;
          }
          filled += n;
        }
        byte[] body = Arrays.copyOfRange(buffer, bodyStart, bodyEnd);
        System.arraycopy(buffer, bodyEnd, buffer, 0, filled - bodyEnd);
        filled -= bodyEnd;

        ChatRequest request = OpenAiRequestReader.chat(body).request();
        ChatResponse answer = baton.chat(request);
        byte[] json = OpenAiResponseWriter.chat(answer);
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-baton-model: " + answer.model()
            + "\r\nx-baton-attempts: " + answer.attempts().size() + "\r\nContent-Length: " + json.length + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
        byte[] message = Arrays.copyOf(head, head.length + json.length);
        System.arraycopy(json, 0, message, head.length, json.length);
        out.write(message);
      }
    } catch (IOException | RuntimeException e) {
      // A probe: a connection that goes wrong is dropped.
    }
  }

  private static int contentLength(String head) {
    int at = head.toLowerCase(java.util.Locale.ROOT).indexOf("\r\ncontent-length:");
    if (at < 0) {
      return 0;
    }
    int end = head.indexOf('\r', at + 2);
    return Integer.parseInt(head.substring(at + 17, end < 0 ? head.length() : end).trim());
  }

  private static int headEnd(byte[] b, int length) {
    for (int i = 0; i + 3 < length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
