package dev.baton.server.door;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.Baton;
import dev.baton.server.pipeline.Caller;
import dev.baton.server.pipeline.Pipeline;
import dev.baton.server.pipeline.TestCall;
import dev.baton.wire.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The models door lists each public name once, as far as the caller may use it. */
class ModelsDoorTest {

  final Baton baton = Baton.builder().models("mock/alpha", "mock/beta").build();
  final ModelsDoor door = new ModelsDoor(baton);

  /** A caller that may use only {@code mock/alpha}, as a virtual key with a models list will be. */
  record OnlyAlpha(String id, boolean admin) implements Caller {
    @Override
    public boolean mayUse(String model) {
      return model.equals("mock/alpha");
    }
  }

  final Pipeline asOnlyAlpha = Pipeline.builder().auth((exchange, chain) -> {
    exchange.caller(new OnlyAlpha("key-1", false));
    chain.proceed();
  }).build();

  @AfterEach
  void close() {
    baton.close();
  }

  static List<String> ids(TestCall call) throws Exception {
    JsonNode list = Json.parse(call.answerBody().getBytes(StandardCharsets.UTF_8));
    List<String> ids = new ArrayList<>();
    list.path("data").forEach(m -> ids.add(m.path("id").asText()));
    return ids;
  }

  @Test
  void listsEveryModelForTheMasterKey() throws Exception {
    TestCall call = TestCall.get("/v1/models");

    Pipeline.builder().auth((exchange, chain) -> {
      exchange.caller(Caller.MASTER);
      chain.proceed();
    }).build().serve(call, "/v1/models", door);

    assertThat(ids(call)).containsExactlyElementsOf(baton.models());
  }

  @Test
  void listsOnlyTheModelsTheCallerMayUse() throws Exception {
    TestCall call = TestCall.get("/v1/models");

    asOnlyAlpha.serve(call, "/v1/models", door);

    assertThat(ids(call)).containsExactly("mock/alpha");
  }

  @Test
  void aModelTheCallerMayNotUseIsNotFound() {
    TestCall hidden = TestCall.get("/v1/models/mock/beta").pathParameter("model", "mock/beta");
    TestCall visible = TestCall.get("/v1/models/mock/alpha").pathParameter("model", "mock/alpha");

    asOnlyAlpha.serve(hidden, "/v1/models/{model}", door);
    asOnlyAlpha.serve(visible, "/v1/models/{model}", door);

    assertThat(hidden.status()).isEqualTo(404);
    assertThat(hidden.answerBody()).contains("model_not_found").doesNotContain("mock/alpha, mock/beta");
    assertThat(visible.status()).isEqualTo(200);
    assertThat(visible.answerBody()).contains("\"id\":\"mock/alpha\"");
  }
}
