package dev.baton.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.RecordedRequest;
import dev.baton.testkit.Reply;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plain-HTTP/1.1 client against answers written byte for byte: how it frames bodies, reads heads
 * (whole, split across packets, large, malformed) and reuses connections.
 */
class Http1ClientTest {

  final Http1Client client = new Http1Client(2_000);
  final FakeUpstream upstream = FakeUpstream.start();

  @AfterEach
  void close() {
    client.close();
    upstream.close();
  }

  Http1Client.Response post(String url) throws IOException {
    HttpRequest request = HttpTransport.request(URI.create(url))
        .header("Content-Type", "application/json")
        .POST(HttpTransport.body("{\"a\":1}".getBytes(StandardCharsets.UTF_8)))
        .build();
    return client.exchange(request, System.nanoTime() + Duration.ofSeconds(5).toNanos());
  }

  static String text(Http1Client.Response response) throws IOException {
    return new String(response.body().readAll(1 << 20), StandardCharsets.UTF_8);
  }

  @Test
  void readsAContentLengthAnswerAndItsHeaders() throws IOException {
    upstream.enqueue(Reply.raw("HTTP/1.1 201 Created\r\nContent-Type:  application/json \r\nX-Request-Id: abc\r\n"
        + "x-request-id: def\r\nContent-Length: 11\r\n\r\n{\"ok\":true}"));

    Http1Client.Response response = post(upstream.url("/v1/chat"));

    assertThat(response.status()).isEqualTo(201);
    assertThat(text(response)).isEqualTo("{\"ok\":true}");
    assertThat(response.headers().get().firstValue("content-type")).as("values are trimmed, names case-blind")
        .hasValue("application/json");
    assertThat(response.headers().get().allValues("X-REQUEST-ID")).containsExactly("abc", "def");
    assertThat(upstream.lastRequest().bodyText()).isEqualTo("{\"a\":1}");
  }

  @Test
  void readsAChunkedAnswerWithExtensionsAndTrailers() throws IOException {
    upstream.enqueue(Reply.raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"
        + "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"));

    assertThat(text(post(upstream.url("/")))).isEqualTo("hello world");
  }

  @Test
  void readsAnHttp10AnswerUntilTheConnectionCloses() throws IOException {
    upstream.enqueue(Reply.raw("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end"));

    assertThat(text(post(upstream.url("/")))).isEqualTo("until the end");
  }

  @Test
  void skipsInterimAnswersAndAcceptsBareLineFeeds() throws IOException {
    upstream.enqueue(Reply.raw("HTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\nContent-Length: 2\n\nok"));

    Http1Client.Response response = post(upstream.url("/"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(text(response)).isEqualTo("ok");
  }

  @Test
  void readsAHeadLargerThanItsBuffer() throws IOException {
    String big = "x".repeat(20_000);
    upstream.enqueue(Reply.raw("HTTP/1.1 200 OK\r\nX-Big: " + big + "\r\nContent-Length: 2\r\n\r\nok"));

    Http1Client.Response response = post(upstream.url("/"));

    assertThat(response.headers().get().firstValue("x-big")).hasValue(big);
    assertThat(text(response)).isEqualTo("ok");
  }

  @Test
  void refusesAHeadOverItsLimit() {
    upstream.enqueue(Reply.raw("HTTP/1.1 200 OK\r\nX-Big: " + "x".repeat(70_000) + "\r\n\r\n"));

    assertThatThrownBy(() -> post(upstream.url("/"))).isInstanceOf(IOException.class)
        .hasMessageContaining("headers are larger than 65536 bytes");
  }

  @Test
  void refusesMalformedHeadsNamingWhatIsWrong() {
    List<List<String>> cases = List.of(
        List.of("SSH-2.0-OpenSSH_9.6\r\n\r\n", "not an HTTP/1.1 answer: SSH-2.0-OpenSSH_9.6"),
        List.of("HTTP/1.1 2x0 OK\r\n\r\n", "not an HTTP status line: HTTP/1.1 2x0 OK"),
        List.of("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "a malformed header line: no colon here"),
        List.of("HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n", "a malformed Content-Length"));
    for (List<String> c : cases) {
      upstream.enqueue(Reply.raw(c.get(0)));

      assertThatThrownBy(() -> post(upstream.url("/"))).as(c.get(0))
          .isInstanceOf(IOException.class).hasMessageContaining(c.get(1));
    }
  }

  @Test
  void readsAHeadThatArrivesInPieces() throws Exception {
    String answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\nnull";
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress("127.0.0.1", 0));
      Thread.ofVirtual().start(() -> {
        try (Socket s = server.accept()) {
          s.setTcpNoDelay(true);
          s.getInputStream().read(new byte[4096]);
          OutputStream out = s.getOutputStream();
          for (byte b : answer.getBytes(StandardCharsets.US_ASCII)) { // one packet a byte, CR and LF apart
            out.write(b);
            out.flush();
            Thread.sleep(1);
          }
          Thread.sleep(500);
        } catch (IOException | InterruptedException e) {
          // the test is over
        }
      });

      Http1Client.Response response = post("http://127.0.0.1:" + server.getLocalPort() + "/");

      assertThat(response.status()).isEqualTo(200);
      assertThat(text(response)).isEqualTo("null");
    }
  }

  @Test
  void reusesAKeptAliveConnectionAndNotOneTheServerCloses() throws IOException {
    upstream.always(Reply.json(200, "{}"));
    text(post(upstream.url("/")));
    text(post(upstream.url("/")));
    assertThat(upstream.acceptedConnections()).as("keep-alive: one connection for both").isEqualTo(1);

    upstream.enqueue(Reply.raw("HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 2\r\n\r\n{}"));
    text(post(upstream.url("/")));
    text(post(upstream.url("/")));
    assertThat(upstream.acceptedConnections()).as("after Connection: close, a new connection").isEqualTo(2);
  }

  RecordedRequest send(String body, String header) throws IOException {
    HttpRequest request = HttpTransport.request(URI.create(upstream.url("/v1/chat")))
        .header("X-Extra", header)
        .POST(HttpTransport.body(body.getBytes(StandardCharsets.UTF_8)))
        .build();
    text(client.exchange(request, System.nanoTime() + Duration.ofSeconds(5).toNanos()));
    return upstream.lastRequest();
  }

  @Test
  void sendsEveryRequestWholeWhetherOrNotItFitsTheConnectionsBuffer() throws IOException {
    upstream.always(Reply.json(200, "{}"));
    String small = "{\"a\":1}";
    String large = "{\"a\":\"" + "y".repeat(100_000) + "\"}";
    String longHeader = "z".repeat(20_000);

    for (List<String> c : List.of(List.of(small, "short"), List.of(large, "short"), List.of(small, longHeader),
        List.of(large, longHeader), List.of(small, "short"))) {
      String what = c.get(0).length() + "-byte body, " + c.get(1).length() + "-byte header";
      RecordedRequest received = send(c.get(0), c.get(1));

      assertThat(received.bodyText()).as(what).isEqualTo(c.get(0));
      assertThat(received.header("content-length")).as(what).isEqualTo(Integer.toString(c.get(0).length()));
      assertThat(received.header("x-extra")).as(what).isEqualTo(c.get(1));
      assertThat(received.header("host")).as(what).isEqualTo("127.0.0.1:" + URI.create(upstream.url("/")).getPort());
    }
    assertThat(upstream.acceptedConnections()).as("all on one kept-alive connection").isEqualTo(1);
  }

  @Test
  void sendsHeaderValuesInUtf8() throws IOException {
    upstream.always(Reply.json(200, "{}"));

    RecordedRequest received = send("{}", "caf\u00e9");

    assertThat(received.header("x-extra")).as("the fake reads header bytes as ISO-8859-1")
        .isEqualTo(new String("caf\u00e9".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
  }

  @Test
  void refusesARequestHeadOverItsLimitSayingSo() {
    assertThatThrownBy(() -> send("{}", "z".repeat(70_000))).isInstanceOf(IOException.class)
        .hasMessageContaining("the request's head is larger than 65536 bytes");
  }

  @Test
  void aSilentServerTimesOutAtTheDeadline() {
    upstream.enqueue(Reply.silent());
    HttpRequest request = HttpTransport.request(URI.create(upstream.url("/"))).GET().build();
    long start = System.nanoTime();

    assertThatThrownBy(() -> client.exchange(request, System.nanoTime() + Duration.ofMillis(300).toNanos()))
        .isInstanceOf(SocketTimeoutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("cut off by the watchdog within a few ticks of the deadline")
        .isBetween(Duration.ofMillis(290), Duration.ofSeconds(2));
  }
}
