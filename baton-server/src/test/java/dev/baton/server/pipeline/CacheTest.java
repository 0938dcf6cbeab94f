package dev.baton.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cache.CacheContext;
import dev.baton.cache.CacheControl;
import dev.baton.config.CacheConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class CacheTest {

  /** A virtual key as the key filter will set it: an id and maybe a team. */
  private record Key(String id, @Nullable String team) implements Caller {
    @Override
    public boolean admin() {
      return false;
    }
  }

  private static CacheContext contextFor(CacheConfig.Scope scope, Caller caller, String... headers) {
    List<CacheContext> seen = new ArrayList<>();
    TestCall call = TestCall.post("/v1/chat/completions", "{}");
    for (int i = 0; i < headers.length; i += 2) {
      call.header(headers[i], headers[i + 1]);
    }
    Pipeline.builder()
        .auth((exchange, chain) -> {
          exchange.caller(caller);
          chain.proceed();
        })
        .cache(new Cache(scope))
        .build()
        .serve(call, "/v1/chat/completions", new TestEndpoint(exchange -> {
          seen.add(Cache.context(exchange));
          exchange.http().send("ok".getBytes(StandardCharsets.UTF_8));
        }));
    return seen.get(0);
  }

  @Test
  void withTeamScopeATeamsKeysShareAndAKeyWithoutATeamIsItsOwnScope() {
    String teamA1 = contextFor(CacheConfig.Scope.TEAM, new Key("key_1", "team_a")).scope();
    String teamA2 = contextFor(CacheConfig.Scope.TEAM, new Key("key_2", "team_a")).scope();
    String teamB = contextFor(CacheConfig.Scope.TEAM, new Key("key_3", "team_b")).scope();
    String loneKey = contextFor(CacheConfig.Scope.TEAM, new Key("key_4", null)).scope();
    String otherLoneKey = contextFor(CacheConfig.Scope.TEAM, new Key("key_5", null)).scope();

    assertThat(teamA1).isEqualTo(teamA2);
    assertThat(teamA1).isNotEqualTo(teamB);
    assertThat(loneKey).isNotEqualTo(otherLoneKey).isNotEqualTo(teamA1);
  }

  @Test
  void everyRequestMadeWithTheMasterKeySharesOneScope() {
    String master = contextFor(CacheConfig.Scope.TEAM, Caller.MASTER).scope();

    assertThat(contextFor(CacheConfig.Scope.TEAM, Caller.MASTER).scope()).isEqualTo(master);
    assertThat(master).isNotEqualTo(contextFor(CacheConfig.Scope.TEAM, new Key("key_1", "team_a")).scope());
    assertThat(contextFor(CacheConfig.Scope.KEY, Caller.MASTER).scope()).isEqualTo(master);
  }

  @Test
  void withKeyScopeEachKeyIsAloneAndWithGlobalScopeEveryoneShares() {
    assertThat(contextFor(CacheConfig.Scope.KEY, new Key("key_1", "team_a")).scope())
        .isNotEqualTo(contextFor(CacheConfig.Scope.KEY, new Key("key_2", "team_a")).scope());
    assertThat(contextFor(CacheConfig.Scope.GLOBAL, new Key("key_1", "team_a")).scope())
        .isEqualTo(contextFor(CacheConfig.Scope.GLOBAL, Caller.MASTER).scope())
        .isEmpty();
  }

  @Test
  void readsTheRequestsCacheControl() {
    assertThat(contextFor(CacheConfig.Scope.TEAM, Caller.MASTER, "Cache-Control", "no-cache, max-age=30").control())
        .isEqualTo(new CacheControl(true, false, Duration.ofSeconds(30)));
    assertThat(contextFor(CacheConfig.Scope.TEAM, Caller.MASTER).control()).isSameAs(CacheControl.NONE);
  }

  @Test
  void theLookupsOutcomeIsTheAnswersHeaderAndTheExchangesRecord() {
    TestCall call = TestCall.post("/v1/chat/completions", "{}");
    List<CacheStatus> recorded = new ArrayList<>();
    Pipeline.builder()
        .accessLog((exchange, chain) -> {
          chain.proceed();
          recorded.add(exchange.cache());
        })
        .cache(new Cache(CacheConfig.Scope.TEAM))
        .build()
        .serve(call, "/v1/chat/completions", new TestEndpoint(exchange -> {
          Cache.context(exchange).onLookup().accept(dev.baton.cache.CacheStatus.SEMANTIC_HIT);
          exchange.http().send("ok".getBytes(StandardCharsets.UTF_8));
        }));

    assertThat(call.answerHeader("x-baton-cache")).isEqualTo("semantic-hit");
    assertThat(recorded).containsExactly(CacheStatus.SEMANTIC_HIT);
  }

  @Test
  void theCacheLooksOnlyAtARequestTheDoorHasRead() {
    List<String> ran = new ArrayList<>();
    TestEndpoint endpoint = new TestEndpoint();
    Pipeline.builder()
        .cache((exchange, chain) -> {
          ran.add("cache sees " + exchange.model());
          chain.proceed();
        })
        .auth((exchange, chain) -> {
          ran.add("auth");
          chain.proceed();
        })
        .build()
        .serve(TestCall.post("/v1/chat/completions", "{}"), "/v1/chat/completions", endpoint);

    assertThat(ran).containsExactly("auth", "cache sees smart");
    assertThat(endpoint.steps).containsExactly("read", "answer");
  }

  @Test
  void withoutTheFilterTheDoorsGetTheDefault() {
    List<CacheContext> seen = new ArrayList<>();
    Pipeline.builder().build().serve(TestCall.post("/v1/chat/completions", "{}"), "/v1/chat/completions",
        new TestEndpoint(exchange -> {
          seen.add(Cache.context(exchange));
          exchange.http().send(new byte[0]);
        }));

    assertThat(seen).containsExactly(CacheContext.DEFAULT);
  }
}
