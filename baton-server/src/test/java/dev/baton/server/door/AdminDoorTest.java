package dev.baton.server.door;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.config.DatabaseConfig;
import dev.baton.config.LoggingConfig;
import dev.baton.config.Secret;
import dev.baton.server.pipeline.BodyLimit;
import dev.baton.server.pipeline.Pipeline;
import dev.baton.server.pipeline.TestCall;
import dev.baton.store.KeyPlatform;
import dev.baton.wire.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /admin} hands the method, path, query and body to the admin API, for the master key only. */
class AdminDoorTest {

  static final String MASTER = "sk-admin-door-test-0123456789";

  @TempDir
  Path dataDir;

  KeyPlatform platform;
  AdminDoor door;
  final Pipeline pipeline = Pipeline.builder().bodyLimit(new BodyLimit(1 << 20, Duration.ofSeconds(5))).build();

  @BeforeEach
  void open() {
    platform = KeyPlatform.open(new DatabaseConfig(null, null, null, dataDir), LoggingConfig.defaults(),
        () -> List.of("smart", "fast"), Clock.systemUTC());
    door = new AdminDoor(platform, Secret.of(MASTER));
  }

  @AfterEach
  void close() {
    platform.close();
  }

  TestCall serve(TestCall call) {
    pipeline.serve(call, call.path(), door);
    return call;
  }

  static JsonNode json(TestCall call) throws Exception {
    return Json.MAPPER.readTree(call.answerBody());
  }

  @Test
  void theMasterKeyCreatesAKeyFromTheBodyAndGetsItsSecretOnce() throws Exception {
    TestCall created = serve(TestCall.post("/admin/keys", "{\"name\": \"app\", \"models\": [\"smart\"]}")
        .header("Authorization", "Bearer " + MASTER));

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.answerHeader("content-type")).isEqualTo("application/json");
    assertThat(json(created).path("key").asText()).startsWith("sk-baton-");
    TestCall listed = serve(TestCall.get("/admin/keys").header("Authorization", "Bearer " + MASTER));
    assertThat(json(listed).path("data").get(0).path("name").asText()).isEqualTo("app");
  }

  @Test
  void theQueryReachesTheAdminApi() throws Exception {
    TestCall call = serve(TestCall.get("/admin/spend").query("group_by", "planet")
        .header("Authorization", "Bearer " + MASTER));

    assertThat(call.status()).isEqualTo(400);
    assertThat(json(call).path("error").path("param").asText()).isEqualTo("group_by");
  }

  @Test
  void withoutTheMasterKeyNothingIsDone() throws Exception {
    String secret = json(serve(TestCall.post("/admin/keys", "{\"name\": \"app\"}")
        .header("Authorization", "Bearer " + MASTER))).path("key").asText();

    assertThat(serve(TestCall.post("/admin/keys", "{\"name\": \"x\"}")).status()).isEqualTo(401);
    assertThat(serve(TestCall.post("/admin/keys", "{\"name\": \"x\"}").header("Authorization", "Bearer " + secret))
        .status()).isEqualTo(403);
    assertThat(serve(TestCall.post("/admin/keys", "{\"name\": \"x\"}").header("x-api-key", "sk-baton-guess"))
        .status()).isEqualTo(401);
    assertThat(platform.keys().all()).hasSize(1);
  }

  @Test
  void aGatewayWithoutAMasterKeyHasNoAdministrator() {
    AdminDoor open = new AdminDoor(platform, null);
    TestCall call = TestCall.get("/admin/keys");
    pipeline.serve(call, "/admin/keys", open);

    assertThat(call.status()).isEqualTo(403);
    assertThat(call.answerBody()).contains("admin_disabled").contains("server.master_key");
  }
}
