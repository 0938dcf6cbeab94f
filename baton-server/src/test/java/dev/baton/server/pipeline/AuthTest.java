package dev.baton.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.store.Limits;
import dev.baton.store.Refusal;
import dev.baton.store.keys.Authentication;
import dev.baton.store.keys.KeyContext;
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

  // Virtual keys.

  static final String VIRTUAL = "sk-baton-0123456789abcdefghijklmnopqrstu";
  static final KeyContext CONTEXT = TestKeys.key("key_1", new Limits(List.of("smart"), null, null, null, null));

  final List<String> presented = new ArrayList<>();

  Auth withVirtualKeys() {
    return new Auth(KEY, secret -> {
      presented.add(secret);
      return secret.equals(VIRTUAL) ? new Authentication.Accepted(CONTEXT)
          : new Authentication.Refused(Refusal.invalidApiKey("this key does not exist or was revoked."));
    });
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "Authorization, Bearer " + VIRTUAL,
      "Authorization, bearer " + VIRTUAL,
      "x-api-key,     " + VIRTUAL})
  void aVirtualKeyLetsTheCallerInAsThatKeyWithItsModels(String header, String value) {
    TestCall call = serve(withVirtualKeys(), TestCall.get("/v1/models").header(header, value));

    assertThat(call.status()).isEqualTo(200);
    assertThat(callers).containsExactly(new VirtualKeyCaller(CONTEXT));
    assertThat(callers.get(0).id()).isEqualTo("key_1");
    assertThat(callers.get(0).admin()).as("a virtual key never administers").isFalse();
    assertThat(callers.get(0).mayUse("smart")).isTrue();
    assertThat(callers.get(0).mayUse("fast")).as("not in the key's models").isFalse();
    assertThat(presented).containsExactly(VIRTUAL);
  }

  @Test
  void anUnknownRevokedOrExpiredVirtualKeyIsA401SayingWhyAndTheDoorNeverRuns() {
    TestCall call = serve(withVirtualKeys(), TestCall.get("/v1/models").header("Authorization", "Bearer sk-baton-nope"));

    assertThat(call.status()).isEqualTo(401);
    assertThat(call.answerBody()).isEqualTo("shape=test status=401 code=invalid_api_key");
    assertThat(endpoint.steps).isEmpty();
    assertThat(presented).containsExactly("sk-baton-nope");
  }

  @Test
  void theMasterKeyIsNeverLookedUpAsAVirtualKey() {
    TestCall call = serve(withVirtualKeys(), TestCall.get("/v1/models").header("Authorization", "Bearer " + KEY));

    assertThat(callers).containsExactly(Caller.MASTER);
    assertThat(presented).isEmpty();
    assertThat(call.status()).isEqualTo(200);
  }

  @Test
  void noKeyAtAllIsA401ThatNamesBothKindsOfKeyWithoutLookingAnythingUp() {
    TestCall call = serve(withVirtualKeys(), TestCall.get("/v1/models").header("Authorization", "Bearer   "));

    assertThat(call.status()).isEqualTo(401);
    assertThat(presented).isEmpty();
    assertThat(endpoint.steps).isEmpty();
  }

  @Test
  void withoutAMasterKeyTheGatewayIsOpenAndAVirtualKeyIsNotLookedUp() {
    Auth open = new Auth(null, secret -> {
      presented.add(secret);
      return new Authentication.Accepted(CONTEXT);
    });

    serve(open, TestCall.get("/v1/models").header("Authorization", "Bearer " + VIRTUAL));

    assertThat(callers).containsExactly(Caller.ANONYMOUS);
    assertThat(presented).isEmpty();
  }

  @Test
  void theKeyPresentedIsTheBearerTokenElseTheApiKey() {
    assertThat(Auth.presentedKey(TestCall.get("/").header("Authorization", "Bearer  abc "))).isEqualTo("abc");
    assertThat(Auth.presentedKey(TestCall.get("/").header("Authorization", "Basic abc").header("x-api-key", "def")))
        .isEqualTo("def");
    assertThat(Auth.presentedKey(TestCall.get("/").header("x-api-key", " "))).isNull();
    assertThat(Auth.presentedKey(TestCall.get("/"))).isNull();
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
