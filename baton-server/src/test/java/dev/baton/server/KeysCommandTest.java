package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.server.CommandTest.Run;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.RecordedRequest;
import dev.baton.testkit.Reply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code baton keys create|list|revoke} against an admin API that answers as the contract says. */
class KeysCommandTest {

  static final ObjectMapper JSON = new ObjectMapper();

  final FakeUpstream gateway = FakeUpstream.start();

  @AfterEach
  void close() {
    gateway.close();
  }

  @Test
  void createSendsEveryOptionAndPrintsTheSecretAlone() throws Exception {
    gateway.enqueue(Reply.json(201, """
        {"id": "key_1", "object": "key", "name": "ci bot", "key": "sk-baton-AbCdEfGhIjKlMnOpQrStUvWxYz012345"}"""));

    Run run = CommandTest.run("keys", "--url", gateway.url(), "--master-key", "sk-master", "create", "--name", "ci bot",
        "--team", "team_1", "--model", "smart", "--model", "fast", "--budget", "5", "--budget-duration", "30d",
        "--rpm", "60", "--tpm", "10000", "--expires-in", "7d");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("sk-baton-AbCdEfGhIjKlMnOpQrStUvWxYz012345\n");
    assertThat(run.err()).contains("created key key_1 'ci bot'").contains("shown only once");
    RecordedRequest sent = gateway.lastRequest();
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/admin/keys");
    assertThat(sent.header("authorization")).isEqualTo("Bearer sk-master");
    JsonNode body = JSON.readTree(sent.bodyText());
    assertThat(body.toString()).isEqualTo("{\"name\":\"ci bot\",\"team_id\":\"team_1\",\"models\":[\"smart\",\"fast\"],"
        + "\"max_budget_usd\":5.0,\"budget_duration\":\"30d\",\"rpm\":60,\"tpm\":10000,\"expires_in\":\"7d\"}");
  }

  @Test
  void listPrintsOneLinePerKeyWithoutSecrets() {
    gateway.enqueue(Reply.json(200, """
        {"object": "list", "data": [
          {"id": "key_1", "name": "ci bot", "key_prefix": "sk-baton-AbCd", "team_id": "team_1", "models": ["smart"],
           "max_budget_usd": 5.0, "budget_duration": "30d", "spend_usd": 1.234, "rpm": 60},
          {"id": "key_2", "name": "open", "key_prefix": "sk-baton-Wxyz", "team_id": null, "models": [],
           "max_budget_usd": null, "budget_duration": null, "spend_usd": 0, "rpm": null}]}"""));

    Run run = CommandTest.run("keys", "--url", gateway.url(), "--master-key", "sk-master", "list");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out().lines().toList()).hasSize(3);
    assertThat(run.out().lines().toList().get(1)).startsWith("key_1").contains("ci bot").contains("sk-baton-AbCd")
        .contains("team_1").contains("smart").contains("$5.00/30d").contains("$1.23").endsWith("60");
    assertThat(run.out().lines().toList().get(2)).startsWith("key_2").contains("all").endsWith("-");
    assertThat(gateway.lastRequest().method()).isEqualTo("GET");
  }

  @Test
  void revokeDeletesTheKey() {
    gateway.enqueue(Reply.json(200, "{\"id\": \"key_1\", \"object\": \"key\", \"revoked\": true}"));

    Run run = CommandTest.run("keys", "--url", gateway.url(), "--master-key", "sk-master", "revoke", "key_1");

    assertThat(run.exit()).isZero();
    assertThat(run.out()).isEqualTo("revoked key_1\n");
    assertThat(gateway.lastRequest().method()).isEqualTo("DELETE");
    assertThat(gateway.lastRequest().path()).isEqualTo("/admin/keys/key_1");
  }

  @Test
  void theGatewaysBadInputMessageIsShownWithExitCode2() {
    gateway.enqueue(Reply.json(400, """
        {"error": {"message": "rpm: must not be negative, was -1", "type": "invalid_request_error",
         "param": "rpm", "code": "invalid_field"}}"""));

    Run run = CommandTest.run("keys", "--url", gateway.url(), "--master-key", "sk-master", "create", "--name", "x",
        "--rpm", "-1");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("baton: rpm: must not be negative, was -1\n");
  }

  @Test
  void aRefusedMasterKeyIsExitCode1() {
    gateway.enqueue(Reply.json(401, "{\"error\": {\"message\": \"Invalid API key for the admin API.\"}}"));

    Run run = CommandTest.run("keys", "--url", gateway.url(), "--master-key", "wrong", "list");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("baton: Invalid API key for the admin API.\n");
  }

  @Test
  void aGatewayThatIsNotRunningIsSaidSo() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }

    Run run = CommandTest.run("keys", "--url", "http://127.0.0.1:" + port, "--master-key", "sk-master", "list");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith("baton: cannot reach the gateway at http://127.0.0.1:" + port);
  }
}
