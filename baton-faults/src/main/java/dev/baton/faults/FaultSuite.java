package dev.baton.faults;

/**
 * Runs the faults against every front door (the SDK, the gateway, the gateway through the OpenAI Java
 * SDK) and prints the scorecard. Exit code 1 if any
 * failed. {@code java ... dev.baton.faults.FaultSuite [real|short]}.
 */
public final class FaultSuite {

  private FaultSuite() {}

  public static void main(String[] args) throws Exception {
    Profile profile = Profile.named(args.length > 0 ? args[0] : "real");
    Scorecard card = run(profile);
    card.print(System.out, profile);
    boolean all = true;
    for (Front.Kind front : Front.Kind.values()) {
      all &= card.passed(front) == card.total(front);
    }
    System.exit(all ? 0 : 1);
  }

  static Scorecard run(Profile profile) throws Exception {
    Scorecard card = new Scorecard();
    for (Scenarios.Scenario s : Scenarios.all()) {
      for (Front.Kind front : Front.Kind.values()) {
        card.add(runOne(s, front, profile));
      }
    }
    return card;
  }

  /** Runs one scenario on one front door; a scenario that throws has failed. */
  public static Scorecard.Entry runOne(Scenarios.Scenario s, Front.Kind front, Profile profile) {
    long start = System.nanoTime();
    Verdict verdict;
    try {
      verdict = s.runner().run(front, profile);
    } catch (Exception | AssertionError e) {
      verdict = Verdict.fail("the scenario threw " + e);
    }
    return new Scorecard.Entry(s, front, verdict, (System.nanoTime() - start) / 1_000_000);
  }
}
