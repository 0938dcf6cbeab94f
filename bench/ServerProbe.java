import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A measurement, not a server: two HTTP servers doing the least a gateway's front door does — read a POST's
 * body whole, answer a fixed JSON body with a content type and one header of its own — so bench/servers.sh
 * can compare what each costs a request. {@code helidon} is set up as the gateway sets up Helidon SE;
 * {@code jetty} is Jetty 12's core API with its handlers on virtual threads, the swap design.md allows.
 *
 * <pre>
 * java -cp ... ServerProbe helidon|jetty PORT ANSWER.json
 * </pre>
 */
public final class ServerProbe {

  private static final HeaderName SERVED_BY = HeaderNames.create("x-baton-model");

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[1]);
    byte[] answer = Files.readAllBytes(Path.of(args[2]));
    switch (args[0]) {
      case "helidon" -> helidon(port, answer);
      case "jetty" -> jetty(port, answer);
      default -> throw new IllegalArgumentException("helidon or jetty, was " + args[0]);
    }
    Thread.currentThread().join();
  }

  @SuppressWarnings("removal") // validateRequestHostHeader, as the gateway sets it
  private static void helidon(int port, byte[] answer) {
    WebServer.builder()
        .host("127.0.0.1")
        .port(port)
        .connectionOptions(socket -> socket.tcpNoDelay(true))
        .addProtocol(Http1Config.builder().validateRequestHostHeader(false).validateResponseHeaders(false).build())
        .routing(routing -> routing.post("/v1/chat/completions", (req, res) -> {
          InputStream in = req.content().inputStream();
          int length = (int) req.headers().contentLength().orElse(0);
          in.readNBytes(new byte[length], 0, length);
          in.read();
          res.header(HeaderValues.CONTENT_TYPE_JSON);
          res.header(HeaderValues.create(SERVED_BY, "bench"));
          res.send(answer);
        }))
        .build()
        .start();
  }

  private static void jetty(int port, byte[] answer) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Request.asInputStream(request).readAllBytes();
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put("x-baton-model", "bench");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.length);
        response.write(true, ByteBuffer.wrap(answer), callback);
        return true;
      }
    });
    server.start();
  }
}
