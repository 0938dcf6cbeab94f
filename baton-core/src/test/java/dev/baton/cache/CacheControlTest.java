package dev.baton.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheControlTest {

  @Test
  void readsTheThreeDirectivesTheCacheHonours() {
    assertThat(CacheControl.parse("no-cache")).isEqualTo(new CacheControl(true, false, null));
    assertThat(CacheControl.parse("no-store")).isEqualTo(new CacheControl(false, true, null));
    assertThat(CacheControl.parse("max-age=60")).isEqualTo(new CacheControl(false, false, Duration.ofSeconds(60)));
    assertThat(CacheControl.parse("No-Cache, MAX-AGE = 5")).isEqualTo(new CacheControl(true, false, Duration.ofSeconds(5)));
    assertThat(CacheControl.parse("max-age=\"30\"").maxAge()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void ignoresWhatItHasNoUseForAndWhatIsMalformed() {
    assertThat(CacheControl.parse(null)).isSameAs(CacheControl.NONE);
    assertThat(CacheControl.parse("")).isSameAs(CacheControl.NONE);
    assertThat(CacheControl.parse("no-transform, max-stale=10, only-if-cached")).isSameAs(CacheControl.NONE);
    assertThat(CacheControl.parse("max-age=soon")).isSameAs(CacheControl.NONE);
    assertThat(CacheControl.parse("max-age=-5")).isSameAs(CacheControl.NONE);
    assertThat(CacheControl.parse("max-age=99999999999999999999").maxAge()).isPositive();
  }
}
