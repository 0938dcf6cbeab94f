package dev.baton.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthTest {

  static final String KEY = "sk-master-0123456789";

  final List<Caller> callers = new ArrayList<>();
  final TestEndpoint endpoint = new TestEndpoint(exchange -> {
    callers.add(exchange.caller());
    exchange.http().send("ok".getBytes(StandardCharsets.UTF_8));
  });

  TestCall serve(Auth auth, TestCall call) {
    Pipeline.builder().auth(auth).build().serve(call, "/v1/chat/completions", endpoint);
    return call;
  }

  @Test
  void withoutAMasterKeyEveryoneIsLetInAsAnonymous() {
    TestCall call = serve(new Auth(null), TestCall.get("/v1/models"));

    assertThat(call.status()).isEqualTo(200);
    assertThat(callers).containsExactly(Caller.ANONYMOUS);
  }

  @Test
  void anEmptyMasterKeyIsNoMasterKey() {
    TestCall call = serve(new Auth(""), TestCall.get("/v1/models"));

    assertThat(call.status()).isEqualTo(200);
    assertThat(callers).containsExactly(Caller.ANONYMOUS);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "Authorization, Bearer " + KEY,
      "Authorization, bearer " + KEY,
      "x-api-key,     " + KEY})
  void theMasterKeyLetsTheCallerInAsMaster(String header, String value) {
    TestCall call = serve(new Auth(KEY), TestCall.get("/v1/models").header(header, value));

    assertThat(call.status()).isEqualTo(200);
    assertThat(callers).containsExactly(Caller.MASTER);
    assertThat(Caller.MASTER.admin()).isTrue();
  }

  @Test
  void anAuthorizationOfAnotherSchemeLeavesItToTheApiKey() {
    TestCall call = serve(new Auth(KEY), TestCall.get("/v1/models")
        .header("Authorization", "Basic dXNlcjpwYXNz").header("x-api-key", KEY));

    assertThat(call.status()).as("the x-api-key is the master key").isEqualTo(200);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "Authorization, Bearer sk-master-012345678",
      "Authorization, Bearer sk-master-01234567890",
      "Authorization, Bearer sk-master-0123456788",
      "Authorization, " + KEY,
      "Authorization, Basic " + KEY,
      "Authorization, Bearer",
      "x-api-key,     Bearer " + KEY,
      "x-api-key,     ''",
      "x-other-key,   " + KEY})
  void anythingButTheMasterKeyIsA401AndTheDoorNeverRuns(String header, String value) {
    TestCall call = serve(new Auth(KEY), TestCall.get("/v1/models").header(header, value));

    assertThat(call.status()).isEqualTo(401);
    assertThat(call.answerBody()).isEqualTo("shape=test status=401 code=invalid_api_key");
    assertThat(callers).isEmpty();
    assertThat(endpoint.steps).isEmpty();
  }

  @Test
  void noKeyAtAllIsA401WhoseMessageSaysHowToSendOneAndHoldsNoSecret() {
    TestCall call = serve(new Auth(KEY), TestCall.get("/v1/models"));

    assertThat(call.status()).isEqualTo(401);
    assertThat(GatewayError.unauthorized().getMessage())
        .contains("Authorization: Bearer <key>").contains("x-api-key").doesNotContain(KEY);
  }

  @Test
  void keysAreComparedWholeFromTheirOffset() {
    assertThat(Auth.sameKey("Bearer abc", 7, "abc")).isTrue();
    assertThat(Auth.sameKey("Bearer abcd", 7, "abc")).isFalse();
    assertThat(Auth.sameKey("Bearer ab", 7, "abc")).isFalse();
    assertThat(Auth.sameKey("Bearer ", 7, "abc")).isFalse();
    assertThat(Auth.sameKey("abc", 0, "abc")).isTrue();
  }
}
