package dev.baton.store.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.store.RequestRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretsTest {

  @Test
  void timeOrderedIdsSortByTimeAndAreAsLongAsRandomOnes() {
    List<String> ids = new ArrayList<>();
    for (long ms = 1_764_000_000_000L; ms < 1_764_000_000_000L + 50_000; ms += 997) {
      ids.add(Secrets.newTimeOrderedId("req_", ms));
    }

    assertThat(ids).isSorted();
    assertThat(ids).allSatisfy(id -> assertThat(id).hasSameSizeAs(Secrets.newId("req_")).matches("req_[0-9a-f]{32}"));
  }

  @Test
  void idsMadeInTheSameMillisecondDiffer() {
    HashSet<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(Secrets.newTimeOrderedId("req_", 1_764_000_000_000L));
    }

    assertThat(ids).hasSize(10_000);
  }

  @Test
  void aRequestRowsIdStartsWithItsTime() {
    Instant time = Instant.parse("2026-12-04T12:00:00Z");
    String later = RequestRecord.builder(time.plusMillis(1)).build().id();

    assertThat(RequestRecord.builder(time).build().id()).isLessThan(later);
  }

  @Test
  void secretsAreLongRandomAndHashedWithoutTheirPrefixInTheHash() {
    String secret = Secrets.newSecret();

    assertThat(secret).matches("sk-baton-[0-9A-Za-z]{32}");
    assertThat(Secrets.hash(secret)).hasSize(64).doesNotContain(secret.substring(9));
    assertThat(Secrets.displayPrefix(secret)).isEqualTo(secret.substring(0, 13));
  }
}
