package dev.baton.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.baton.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code redis:} section (contract section 8). */
class RedisConfigLoaderTest {

  private static final String ONE_MODEL = """
      models:
        - name: a
          provider: mock
          model: m
      """;

  private static BatonConfig parse(String yaml, Map<String, String> environment) {
    return ConfigLoader.parse(yaml, "baton.yaml", Environment.of(environment));
  }

  @Test
  void withoutARedisSectionEachInstanceIsAlone() {
    assertThat(parse(ONE_MODEL, Map.of()).redis()).isEqualTo(RedisConfig.NONE);
    assertThat(parse(ONE_MODEL, Map.of()).redis().enabled()).isFalse();
  }

  @Test
  void theContractsExampleWithItsVariableUnsetMeansAlone() {
    BatonConfig config = parse(ONE_MODEL + "redis:\n  url: ${BATON_REDIS_URL:-}\n", Map.of());
    assertThat(config.redis().enabled()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis://127.0.0.1:6379", "redis://:s3cret@cache.internal:6380/2", "rediss://cache.internal",
      "redis://redis"})
  void aRedisOrRedissUrlIsAccepted(String url) {
    BatonConfig config = parse(ONE_MODEL + "redis:\n  url: ${BATON_REDIS_URL}\n", Map.of("BATON_REDIS_URL", url));
    assertThat(config.redis().enabled()).isTrue();
    assertThat(config.redis().url().reveal()).isEqualTo(url);
  }

  @Test
  void thePasswordIsHiddenWhereverTheConfigIsShown() {
    BatonConfig config = parse(ONE_MODEL + "redis:\n  url: redis://:s3cret@cache.internal:6379\n", Map.of());
    assertThat(config.redis().redactedUrl()).isEqualTo("redis://****@cache.internal:6379");
    assertThat(config.toString()).doesNotContain("s3cret");
  }

  @Test
  void aUrlThatIsNotRedisIsAnErrorWithItsLineAndWithoutItsPassword() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> parse(ONE_MODEL + "redis:\n  url: http://:s3cret@cache.internal:6379\n", Map.of()));
    assertThat(e.problems()).containsExactly("baton.yaml:6: redis.url: expected redis://[:password@]host:6379[/db] "
        + "(or rediss:// for TLS), was 'http://****@cache.internal:6379'");
  }

  @Test
  void aDatabaseThatIsNotANumberIsAnError() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> parse(ONE_MODEL + "redis:\n  url: redis://cache.internal:6379/cache\n", Map.of()));
    assertThat(e.problems()).singleElement().asString().startsWith("baton.yaml:6: redis.url: the database after "
        + "the host must be a number");
  }

  @Test
  void anUnknownKeyIsAnErrorWithItsLine() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> parse(ONE_MODEL + "redis:\n  url: redis://127.0.0.1\n  pasword: x\n", Map.of()));
    assertThat(e.problems()).singleElement().asString().startsWith("baton.yaml:7: redis.pasword: unknown key 'pasword'");
  }
}
