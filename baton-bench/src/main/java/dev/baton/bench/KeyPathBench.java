package dev.baton.bench;

import dev.baton.config.DatabaseConfig;
import dev.baton.config.LoggingConfig;
import dev.baton.store.KeyPlatform;
import dev.baton.store.RequestRecord;
import dev.baton.store.admin.AdminResponse;
import dev.baton.store.keys.Authentication;
import dev.baton.store.limits.Admission;
import dev.baton.store.limits.Permit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a virtual key adds to a request, on its own: find the key (hash and lookup), check its model, budget
 * and rpm/tpm windows with a team, build the {@code x-ratelimit-*} values, count tokens and cost when it
 * ends, and queue its request-log row (the embedded database's writer runs behind, as in the gateway).
 * Limits are set high enough never to refuse. The master key's path, for comparison, is one comparison of
 * the presented key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KeyPathBench {

  private Path dir;
  private KeyPlatform platform;
  private String secret;
  private final String master = "sk-master-0123456789abcdef0123456789abcdef";
  private String presented;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("baton-keybench-");
    platform = KeyPlatform.open(new DatabaseConfig(null, null, null, dir), LoggingConfig.defaults(), List::of,
        Clock.systemUTC());
    AdminResponse team = platform.admin().handle("POST", "/admin/teams",
        "{\"name\": \"bench\", \"rpm\": 1000000000, \"tpm\": 1000000000000, \"max_budget_usd\": 1000000000}");
    String teamId = team.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    AdminResponse key = platform.admin().handle("POST", "/admin/keys", "{\"name\": \"bench\", \"team_id\": \""
        + teamId + "\", \"rpm\": 1000000000, \"tpm\": 1000000000000, \"max_budget_usd\": 1000000000, "
        + "\"budget_duration\": \"30d\"}");
    secret = key.body().replaceAll(".*\"key\":\"(sk-baton-[^\"]+)\".*", "$1");
    presented = new String(master.toCharArray());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    platform.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The master key's check: the baseline a virtual key is compared with. */
  @Benchmark
  public boolean masterKey() {
    return java.security.MessageDigest.isEqual(presented.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        master.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** A virtual key with a team, rpm, tpm and budgets, and its request-log row. */
  @Benchmark
  public void virtualKey(Blackhole bh) {
    Authentication a = platform.authenticate(secret);
    if (!(a instanceof Authentication.Accepted accepted)) {
      throw new IllegalStateException("refused: " + a);
    }
    Admission admission = platform.admit(accepted.key(), "smart");
    if (!(admission instanceof Admission.Admitted ok)) {
      throw new IllegalStateException("refused: " + admission);
    }
    Permit permit = ok.permit();
    bh.consume(permit.headers());
    permit.complete(12, 30, 0.0000123);
    platform.record(RequestRecord.builder(Instant.now()).keyId(accepted.key().keyId()).teamId(accepted.key().teamId())
        .route("/v1/chat/completions").model("smart").answeredBy("smart").tokens(12, 30).costUsd(0.0000123)
        .latencyMs(1).status(200).build());
  }
}
