package dev.baton.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every fault against every front door, as tests: one per fault and front door. The timing
 * profile comes from {@code -Dbaton.faults.profile} ({@code short} in CI, {@code real} for the figures in
 * the README); the scorecard is printed at the end of the run.
 */
class FaultSuiteTest {

  static final Profile PROFILE = Profile.named(System.getProperty("baton.faults.profile", "short"));
  static final Scorecard CARD = new Scorecard();

  @TestFactory
  List<DynamicTest> everyFaultOnBothFrontDoors() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Scenarios.Scenario s : Scenarios.all()) {
      for (Front.Kind front : Front.Kind.values()) {
        tests.add(DynamicTest.dynamicTest("#" + s.number() + " " + s.fault() + " [" + front.label() + "]", () -> {
          Scorecard.Entry entry = FaultSuite.runOne(s, front, PROFILE);
          CARD.add(entry);
          assertThat(entry.verdict().passed()).as("#%d %s on the %s: %s — %s", s.number(), s.fault(), front.label(),
              s.passing(), entry.verdict().detail()).isTrue();
        }));
      }
    }
    return tests;
  }

  @AfterAll
  static void printScorecard() {
    CARD.print(System.out, PROFILE);
  }
}
