package dev.baton.server.door;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.server.pipeline.Pipeline;
import dev.baton.server.pipeline.TestCall;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@code /health} is 200 while the gateway serves, and says when its database or its shared Redis is away. */
class HealthDoorTest {

  static TestCall health(HealthDoor door) {
    TestCall call = TestCall.get("/health");
    Pipeline.builder().build().serve(call, "/health", door);
    return call;
  }

  @Test
  void withoutADatabaseItIsSimplyOk() {
    TestCall call = health(new HealthDoor());

    assertThat(call.status()).isEqualTo(200);
    assertThat(call.answerBody()).isEqualTo("{\"status\":\"ok\"}");
    assertThat(call.answerHeader("content-type")).isEqualTo("application/json");
  }

  @Test
  void itFollowsTheDatabaseDownAndBackStillAnswering200() {
    AtomicBoolean up = new AtomicBoolean(true);
    HealthDoor door = new HealthDoor(up::get);

    assertThat(health(door).answerBody()).isEqualTo("{\"status\":\"ok\",\"database\":\"up\"}");
    up.set(false);
    TestCall down = health(door);
    assertThat(down.status()).isEqualTo(200);
    assertThat(down.answerBody()).isEqualTo("{\"status\":\"degraded\",\"database\":\"down\"}");
    up.set(true);
    assertThat(health(door).answerBody()).isEqualTo("{\"status\":\"ok\",\"database\":\"up\"}");
  }

  @Test
  void withRedisAloneItFollowsRedisDownAndBack() {
    AtomicBoolean up = new AtomicBoolean(true);
    HealthDoor door = new HealthDoor(null, up::get);

    assertThat(health(door).answerBody()).isEqualTo("{\"status\":\"ok\",\"redis\":\"up\"}");
    up.set(false);
    TestCall down = health(door);
    assertThat(down.status()).isEqualTo(200);
    assertThat(down.answerBody()).isEqualTo("{\"status\":\"degraded\",\"redis\":\"down\"}");
    up.set(true);
    assertThat(health(door).answerBody()).isEqualTo("{\"status\":\"ok\",\"redis\":\"up\"}");
  }

  @Test
  void withBothItNamesWhicheverIsDownAndIsDegradedWhileEitherIs() {
    AtomicBoolean database = new AtomicBoolean(true);
    AtomicBoolean redis = new AtomicBoolean(true);
    HealthDoor door = new HealthDoor(database::get, redis::get);

    assertThat(health(door).answerBody()).isEqualTo("{\"status\":\"ok\",\"database\":\"up\",\"redis\":\"up\"}");
    redis.set(false);
    assertThat(health(door).answerBody())
        .isEqualTo("{\"status\":\"degraded\",\"database\":\"up\",\"redis\":\"down\"}");
    database.set(false);
    TestCall both = health(door);
    assertThat(both.status()).isEqualTo(200);
    assertThat(both.answerBody()).isEqualTo("{\"status\":\"degraded\",\"database\":\"down\",\"redis\":\"down\"}");
    redis.set(true);
    assertThat(health(door).answerBody())
        .isEqualTo("{\"status\":\"degraded\",\"database\":\"down\",\"redis\":\"up\"}");
    database.set(true);
    assertThat(health(door).answerBody()).isEqualTo("{\"status\":\"ok\",\"database\":\"up\",\"redis\":\"up\"}");
  }
}
