package dev.baton.faults;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The results of a run, printed as a table: one row per fault, one column per front door. */
public final class Scorecard {

  /** One scenario's result on one front door. */
  public record Entry(Scenarios.Scenario scenario, Front.Kind front, Verdict verdict, long millis) {}

  private final List<Entry> entries = new ArrayList<>();

  public synchronized void add(Entry entry) {
    entries.add(entry);
  }

  public synchronized int passed(Front.Kind front) {
    return (int) entries.stream().filter(e -> e.front() == front && e.verdict().passed()).count();
  }

  public synchronized int total(Front.Kind front) {
    return (int) entries.stream().filter(e -> e.front() == front).count();
  }

  /** Prints the table and the details of anything that failed. */
  public synchronized void print(PrintStream out, Profile profile) {
    out.println();
    out.println("Baton fault scorecard (profile: " + profile.name() + ")");
    out.println();
    StringBuilder header = new StringBuilder("| # | fault |");
    StringBuilder rule = new StringBuilder("| --- | --- |");
    StringBuilder totals = new StringBuilder("| | **passed** |");
    for (Front.Kind front : Front.Kind.values()) {
      header.append(' ').append(front.label()).append(" |");
      rule.append(" --- |");
      totals.append(" **").append(passed(front)).append('/').append(total(front)).append("** |");
    }
    out.println(header);
    out.println(rule);
    for (Scenarios.Scenario s : Scenarios.all()) {
      StringBuilder row = new StringBuilder("| " + s.number() + " | " + s.fault() + " |");
      for (Front.Kind front : Front.Kind.values()) {
        row.append(' ').append(cell(s, front)).append(" |");
      }
      out.println(row);
    }
    out.println(totals);
    out.println();
    for (Entry e : entries) {
      out.printf("%s #%d %-21s %5d ms  %s%n", e.verdict().passed() ? "PASS" : "FAIL", e.scenario().number(),
          e.front().label(), e.millis(), e.verdict().detail());
    }
    out.flush();
  }

  private String cell(Scenarios.Scenario s, Front.Kind front) {
    for (Entry e : entries) {
      if (e.scenario().number() == s.number() && e.front() == front) {
        return e.verdict().passed() ? "pass" : "**FAIL**";
      }
    }
    return "–";
  }
}
