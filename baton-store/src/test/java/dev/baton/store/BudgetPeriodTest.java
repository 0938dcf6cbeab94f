package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BudgetPeriodTest {

  static final Instant ANCHOR = Instant.parse("2026-12-01T09:30:00Z");

  @ParameterizedTest
  @CsvSource({"30m, PT30M", "1h, PT1H", "1d, PT24H", "30d, PT720H", "2w, PT336H"})
  void periodsAreReadInMinutesHoursDaysAndWeeks(String text, Duration length) {
    assertThat(BudgetPeriod.parse(text).length()).isEqualTo(length);
    assertThat(BudgetPeriod.parse(text).text()).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "d", "0d", "1 d", "1.5d", "-1d", "1mo", "1y", "30s", "1D"})
  void anythingElseIsRefusedSayingWhatIsExpected(String text) {
    assertThatThrownBy(() -> BudgetPeriod.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("expected a period such as 1h, 1d or 30d");
  }

  @Test
  void periodsAreCountedFromTheAnchor() {
    BudgetPeriod day = BudgetPeriod.parse("1d");

    assertThat(day.periodStart(ANCHOR, ANCHOR)).isEqualTo(ANCHOR);
    assertThat(day.periodStart(ANCHOR, Instant.parse("2026-12-02T09:29:59.999Z"))).isEqualTo(ANCHOR);
    assertThat(day.periodStart(ANCHOR, Instant.parse("2026-12-02T09:30:00Z")))
        .isEqualTo(Instant.parse("2026-12-02T09:30:00Z"));
    assertThat(day.resetsAt(ANCHOR, Instant.parse("2026-12-10T00:00:00Z")))
        .isEqualTo(Instant.parse("2026-12-10T09:30:00Z"));
  }

  @Test
  void aMomentBeforeTheAnchorIsInTheFirstPeriod() {
    assertThat(BudgetPeriod.parse("1h").periodStart(ANCHOR, ANCHOR.minusSeconds(10))).isEqualTo(ANCHOR);
  }
}
