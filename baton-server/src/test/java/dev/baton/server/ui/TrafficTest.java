package dev.baton.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The dashboard's counters over time: steps, sums, the ring's reuse and latency percentiles. */
class TrafficTest {

  @Test
  void eachStepCountsItsOwnEvents() {
    Traffic traffic = new Traffic(10, 6);
    traffic.add(1000, false, false, 0.5, 10, 5, 20);
    traffic.add(1009, true, true, 0.25, 1, 1, 40);
    traffic.add(1010, false, false, 0, 0, 0, 30);

    Traffic.Sum first = traffic.sum(100, 100);
    assertThat(first.count).isEqualTo(2);
    assertThat(first.errors).isEqualTo(1);
    assertThat(first.fallbacks).isEqualTo(1);
    assertThat(first.spendUsd).isEqualTo(0.75);
    assertThat(first.inputTokens).isEqualTo(11);
    assertThat(traffic.sum(101, 101).count).isEqualTo(1);
    assertThat(traffic.sum(99, 105).count).isEqualTo(3);
  }

  @Test
  void aStepOlderThanTheRingIsForgottenNotAddedToItsSuccessor() {
    Traffic traffic = new Traffic(1, 4);
    traffic.add(100, false, false, 0, 0, 0, 1);
    traffic.add(104, false, false, 0, 0, 0, 1); // the same slot, four steps on

    assertThat(traffic.sum(100, 100).count).isZero();
    assertThat(traffic.sum(104, 104).count).isEqualTo(1);
  }

  @Test
  void percentilesAreWithinTenPercentFromAMillisecondToMinutes() {
    Traffic traffic = new Traffic(60, 2);
    for (int ms = 1; ms <= 1000; ms++) {
      traffic.add(0, false, false, 0, 0, 0, ms);
    }
    Traffic.Sum sum = traffic.sum(0, 0);
    assertThat(sum.percentile(0.50)).isCloseTo(500, within(50.0));
    assertThat(sum.percentile(0.95)).isCloseTo(950, within(95.0));
    assertThat(sum.percentile(0.99)).isCloseTo(990, within(99.0));

    Traffic slow = new Traffic(60, 2);
    slow.add(0, false, false, 0, 0, 0, 120_000);
    assertThat(slow.sum(0, 0).percentile(0.5)).isCloseTo(120_000, within(12_000.0));
    assertThat(new Traffic(60, 2).sum(0, 0).percentile(0.5)).as("no events, no percentile").isNull();
  }

  @Test
  void aSingleLatencyIsReportedAsItselfForSmallValues() {
    for (long ms : new long[] {0, 1, 2, 3, 5, 8}) {
      Traffic traffic = new Traffic(1, 2);
      traffic.add(0, false, false, 0, 0, 0, ms);
      assertThat(traffic.sum(0, 0).percentile(0.5)).as(ms + " ms").isEqualTo((double) ms);
    }
  }
}
