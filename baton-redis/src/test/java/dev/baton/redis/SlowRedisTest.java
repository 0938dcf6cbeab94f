package dev.baton.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.router.SharedRouterState;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Redis that answers, but slowly — its one thread kept busy by someone else's scripts — costs a request at
 * most 50 ms in all (contract section 8), however many of its calls go to Redis: the calls share one budget.
 */
class SlowRedisTest {

  /**
   * Keeps Redis's thread busy for 10 ms at a time: each command waits behind up to 10 ms of it — slow, but
   * within the 12 ms a single call may wait, so no call gives up on its own.
   */
  private static final String SPIN = """
      local t0 = redis.call('TIME')
      local start = t0[1] * 1000000 + t0[2]
      repeat
        local t = redis.call('TIME')
      until t[1] * 1000000 + t[2] - start >= 10000
      return 1
      """;

  private Cluster cluster;

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void everyCallOfARequestTogetherWaitsAtMostFiftyMillisecondsForASlowRedis() throws Exception {
    cluster = new Cluster(1, Clock.systemUTC());
    RedisState shared = cluster.get(0);
    AtomicBoolean slowing = new AtomicBoolean(true);
    RedisClient client = RedisClient.create(cluster.redis.url());
    Thread slower = Thread.ofPlatform().daemon().start(() -> {
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        while (slowing.get()) {
          connection.sync().eval(SPIN, ScriptOutputType.INTEGER);
        }
      }
    });
    request(shared, "warm-up"); // the first calls load classes and scripts: not what is measured
    List<Duration> requests = new ArrayList<>();
    try {
      Thread.sleep(100);
      for (int i = 0; i < 50; i++) {
        String n = Integer.toString(i);
        Duration[] waited = new Duration[1];
        // as a gateway serves a request: on a thread of its own (a keep-alive connection's, which served others)
        Thread request = Thread.ofVirtual().start(() -> {
          shared.requestStarts();
          request(shared, n);
          // What the request spent waiting for Redis, each call's wait from its start to its answer or its
          // deadline. Not the request's wall-clock time: on a busy machine that also holds the scheduler's
          // delays in running the thread at all, which no bound on Redis can promise away.
          waited[0] = RedisLink.waitedThisRequest();
        });
        request.join();
        requests.add(waited[0]);
      }
    } finally {
      slowing.set(false);
      slower.join();
      client.shutdown();
    }
    assertThat(requests).as("the time each request spent waiting on its calls to a slow Redis")
        .allSatisfy(took -> assertThat(took).isLessThanOrEqualTo(Duration.ofMillis(50)));
  }

  /**
   * Every call a request may make to Redis on its way: a key and its team, each with tpm, rpm and a budget
   * (windows and spends this instance never read, so each is read on the path; limits small enough that
   * every request claims its own), the cache, a deployment with rpm and tpm, and a half-open probe.
   */
  private static void request(RedisState shared, String n) {
    Instant now = Instant.now();
    for (String scope : new String[] {"key_slow_" + n, "team_slow_" + n}) {
      shared.counters().tokens(scope, 1_000, now);
      shared.counters().admitRequest(scope, 10, now);
      shared.counters().spend(scope, Instant.EPOCH);
    }
    shared.cacheStore().get("slow-" + n);
    SharedRouterState.Window deployment = shared.router().window("slow#" + n, 10, 1_000);
    deployment.atLimit(10);
    shared.router().claimProbe("slow#" + n, Duration.ofSeconds(1));
  }
}
