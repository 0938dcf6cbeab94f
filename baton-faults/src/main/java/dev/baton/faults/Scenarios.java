package dev.baton.faults;

import static dev.baton.faults.Verdict.check;
import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static dev.baton.testkit.OpenAiFixtures.error;

import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.RecordedRequest;
import dev.baton.testkit.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sixteen provider faults of the public gateway benchmark, each with the behaviour that passes, and
 * seven more that pin what the benchmark's own endpoints do to a gateway that continues a broken stream
 * or waits out a rate limit. A scenario injects its fault at an upstream, asks through one front door,
 * and checks what the caller got — the exact text, word for word, not only that it ended well — and what
 * reached the upstreams.
 */
public final class Scenarios {

  /** One fault and how to judge it. */
  public record Scenario(int number, String fault, String passing, Runner runner) {}

  /** Runs a scenario on one front door. */
  @FunctionalInterface
  public interface Runner {
    Verdict run(Front.Kind kind, Profile profile) throws Exception;
  }

  static final String PROMPT = "Count to sixty, please.";

  private Scenarios() {}

  public static List<Scenario> all() {
    return List.of(
        new Scenario(1, "429 with Retry-After: 2, then healthy",
            "waits the 2 s out (never two attempts within 1.5 s) and the primary answers; the fallback is never"
                + " called", Scenarios::retryAfter),
        new Scenario(2, "429 every time, no Retry-After",
            "backs off with jitter (at most 4 attempts in 3 s, 6 in all), then fails over", Scenarios::alwaysRateLimited),
        new Scenario(3, "500 once, then healthy", "retries the same deployment and answers", Scenarios::serverErrorOnce),
        new Scenario(4, "503 every time", "bounded retries, then fails over; with nothing left, the original error",
            Scenarios::alwaysUnavailable),
        new Scenario(5, "TCP reset before any header, then healthy", "retries or fails over; answers",
            Scenarios::resetBeforeHeaders),
        new Scenario(6, "accepts the request and never answers",
            "the per-attempt timeout fires; fails over after the first timeout", Scenarios::neverAnswers),
        new Scenario(7, "headers at once, first token after 20 s",
            "first_token_timeout fires and the fallback answers well inside 15 s", Scenarios::slowFirstToken),
        new Scenario(8, "stream cut after 40 of 60 tokens, no terminator",
            "the stream continues from what was sent: one complete answer, never a truncated one",
            Scenarios::streamCut),
        new Scenario(9, "stream goes silent after 20 tokens",
            "idle_timeout fires, then continues as 8; the gateway stays healthy", Scenarios::streamStalls),
        new Scenario(10, "one malformed SSE event in the middle",
            "skips it and delivers the rest; nothing partial leaks", Scenarios::malformedEvent),
        new Scenario(11, "stream complete but no data: [DONE]",
            "finishes promptly when the connection ends; usage still reported", Scenarios::noDone),
        new Scenario(12, "400 context_length_exceeded",
            "no retry of the same model; the context-window fallback answers", Scenarios::contextWindow),
        new Scenario(13, "400 content policy violation",
            "no retry of the same model; the provider's reason reaches the caller", Scenarios::contentPolicy),
        new Scenario(14, "as 8, but the fallback rejects assistant prefill",
            "continues another way; the caller never gets the prefill 400", Scenarios::prefillRejected),
        new Scenario(15, "primary down (503) for 60 s, then healthy; a request every 4 s",
            "the fallback serves during the outage with few probes; the primary serves again within 30 s",
            Scenarios::outageAndRecovery),
        new Scenario(16, "503 every time, the fallback answers",
            "the answer's model and usage are the fallback's; failed attempts are not counted as completions",
            Scenarios::fallbackUsage),
        new Scenario(17, "429 with Retry-After: 30, then healthy",
            "falls back at once: the fallback answers within 1 s and the primary is not retried",
            Scenarios::longRetryAfter),
        new Scenario(18, "as 8, and the fallback answers a continue turn from the beginning",
            "what the caller has is skipped: exactly t0 .. t59, each once",
            continued(NumberedModel.Continuing.FROM_THE_BEGINNING, "    assistant_prefill: false\n")),
        new Scenario(19, "as 8, and the fallback continues a prefill exactly",
            "continued by prefill, the words it wrote again dropped: exactly t0 .. t59, each once",
            continued(NumberedModel.Continuing.WELL, "")),
        new Scenario(20, "as 8, and the fallback rejects a prefill with 400",
            "asked again with a continue turn; the 400 never reaches the caller: exactly t0 .. t59, each once",
            continued(NumberedModel.Continuing.REJECTS_PREFILL, "")),
        new Scenario(21, "as 8, and the fallback restarts with other whitespace",
            "still a restart, skipped: t0 .. t59, each once",
            continued(NumberedModel.Continuing.FROM_THE_BEGINNING_SPACED_DIFFERENTLY, "")),
        new Scenario(22, "as 8, and the fallback continues with three words of overlap",
            "the overlap is dropped: exactly t0 .. t59, each once",
            continued(NumberedModel.Continuing.WITH_OVERLAP, "")),
        new Scenario(23, "as 8, and the fallback answers something unrelated",
            "an error event and no [DONE], after exactly t0 .. t39; nothing of the unrelated answer",
            continued(NumberedModel.Continuing.UNRELATED, "")));
  }

  static Reply answer(String model, String text) {
    return Reply.json(200, chatCompletion(model, text));
  }

  static Reply failure(int status, String message, String type, String code) {
    return Reply.json(status, error(message, type, code));
  }

  private static Verdict retryAfter(Front.Kind kind, Profile p) {
    try (Fixture f = new Fixture(p)) {
      f.primary.enqueue(failure(429, "Rate limit reached", "requests", "rate_limit_exceeded").header("Retry-After", "2"));
      f.primary.always(answer("primary-model", "from the primary"));
      f.fallback.always(answer("fallback-model", "from the fallback"));
      Answer a = f.open(kind).ask("primary", PROMPT, false, false);
      Duration closest = closestGap(f.primary.requests());
      return Verdict.of(a.summary() + "; primary attempts " + f.primary.requests().size()
              + (closest == null ? "" : ", " + closest.toMillis() + " ms apart") + "; fallback attempts "
              + f.fallback.requests().size(),
          check("the primary answered", a.ok() && "primary".equals(a.model()) && "from the primary".equals(a.text())),
          check("never two attempts within 1.5 s", closest == null || closest.toMillis() >= 1500),
          check("the Retry-After was waited out, and not much longer", closest != null
              && closest.toMillis() >= 1900 && closest.toMillis() <= 3500),
          check("the fallback was never called", f.fallback.requests().isEmpty()));
    }
  }

  private static Verdict longRetryAfter(Front.Kind kind, Profile p) {
    try (Fixture f = new Fixture(p)) {
      f.primary.enqueue(failure(429, "Rate limit reached", "requests", "rate_limit_exceeded").header("Retry-After", "30"));
      f.primary.always(answer("primary-model", "from the primary"));
      f.fallback.always(answer("fallback-model", "from the fallback"));
      Answer a = f.open(kind).ask("primary", PROMPT, false, false);
      return Verdict.of(a.summary() + "; primary attempts " + f.primary.requests().size(),
          check("the fallback answered", a.ok() && "fallback".equals(a.model()) && "from the fallback".equals(a.text())),
          check("at once (within 1 s)", a.elapsed().toMillis() < 1000),
          check("the primary was not retried", f.primary.requests().size() == 1));
    }
  }

  private static Verdict alwaysRateLimited(Front.Kind kind, Profile p) {
    try (Fixture f = new Fixture(p)) {
      f.primary.always(failure(429, "Rate limit reached", "requests", "rate_limit_exceeded"));
      f.fallback.always(answer("fallback-model", "from the fallback"));
      Answer a = f.open(kind).ask("primary", PROMPT, false, false);
      List<RecordedRequest> tries = f.primary.requests();
      return Verdict.of(a.summary() + "; primary attempts " + tries.size() + ", most in 3 s " + mostWithin(tries, 3000),
          check("the fallback answers", a.ok() && "fallback".equals(a.model())),
          check("at most 6 attempts in all", tries.size() <= 6),
          check("at most 4 attempts in any 3 s", mostWithin(tries, 3000) <= 4));
    }
  }

  private static Verdict serverErrorOnce(Front.Kind kind, Profile p) {
    try (Fixture f = new Fixture(p)) {
      f.primary.enqueue(failure(500, "The server had an error while processing your request.", "server_error", null));
      f.primary.always(answer("primary-model", "from the primary"));
      f.fallback.always(answer("fallback-model", "from the fallback"));
      Answer a = f.open(kind).ask("primary", PROMPT, false, false);
      return Verdict.of(a.summary(),
          check("the same deployment answers on retry", a.ok() && "primary".equals(a.model())),
          check("two attempts at the primary", f.primary.requests().size() == 2));
    }
  }

  private static Verdict alwaysUnavailable(Front.Kind kind, Profile p) {
    String reason = "The server is overloaded or not ready yet.";
    try (Fixture f = new Fixture(p); Fixture alone = new Fixture(p)) {
      f.primary.always(failure(503, reason, "server_error", null));
      f.fallback.always(answer("fallback-model", "from the fallback"));
      alone.primary.always(failure(503, reason, "server_error", null));
      Answer withFallback = f.open(kind).ask("primary", PROMPT, false, false);
      Answer without = alone.open(kind, false, "").ask("primary", PROMPT, false, false);
      return Verdict.of(withFallback.summary() + "; primary attempts " + f.primary.requests().size()
              + "; alone: " + without.summary(),
          check("the fallback answers", withFallback.ok() && "fallback".equals(withFallback.model())),
          check("bounded retries (3 attempts)", f.primary.requests().size() == 3),
          check("alone, the original 503 and reason", without.status() == 503 && without.error() != null
              && without.error().contains(reason)));
    }
  }

  private static Verdict resetBeforeHeaders(Front.Kind kind, Profile p) {
    try (Fixture f = new Fixture(p)) {
      f.primary.enqueue(Reply.reset());
      f.primary.always(answer("primary-model", "from the primary"));
      f.fallback.always(answer("fallback-model", "from the fallback"));
      Answer a = f.open(kind).ask("primary", PROMPT, false, false);
      return Verdict.of(a.summary(), check("answered", a.ok()));
    }
  }

  private static Verdict neverAnswers(Front.Kind kind, Profile p) {
    try (Fixture f = new Fixture(p)) {
      f.primary.always(Reply.silent());
      f.fallback.always(answer("fallback-model", "from the fallback"));
      Answer a = f.open(kind).ask("primary", PROMPT, false, false);
      return Verdict.of(a.summary() + "; primary attempts " + f.primary.requests().size(),
          check("the fallback answers", a.ok() && "fallback".equals(a.model())),
          check("no retry of the silent route", f.primary.requests().size() == 1),
          check("after one timeout", a.elapsed().compareTo(p.timeout().plusSeconds(3)) < 0));
    }
  }

  private static Verdict slowFirstToken(Front.Kind kind, Profile p) {
    try (Fixture f = new Fixture(p)) {
      f.primary.respond(r -> NumberedModel.answer(r, "primary-model").delayFirstChunk(p.slowFirstToken()));
      f.fallback.respond(r -> NumberedModel.answer(r, "fallback-model"));
      Answer a = f.open(kind).ask("primary", PROMPT, true, false);
      return Verdict.of(a.summary(),
          check("the whole answer", a.ok() && a.text().equals(NumberedModel.whole())),
          check("from the fallback", "fallback".equals(a.model())),
          check("well inside " + p.firstTokenBound().toSeconds() + " s", a.elapsed().compareTo(p.firstTokenBound()) < 0));
    }
  }

  private static Verdict streamCut(Front.Kind kind, Profile p) {
    try (Fixture f = new Fixture(p)) {
      f.primary.respond(r -> NumberedModel.cutAfter(r, "primary-model", 40));
      f.fallback.respond(r -> NumberedModel.answer(r, "fallback-model"));
      Answer a = f.open(kind).ask("primary", PROMPT, true, false);
      return Verdict.of(a.summary() + "; received " + a.text().split(" ").length + " tokens",
          check("ended as a success", a.ok()),
          check("exactly the whole answer, nothing repeated or lost", a.text().equals(NumberedModel.whole())));
    }
  }

  private static Verdict streamStalls(Front.Kind kind, Profile p) {
    try (Fixture f = new Fixture(p)) {
      f.primary.respond(r -> NumberedModel.stallAfter(r, "primary-model", 20));
      f.fallback.respond(r -> NumberedModel.answer(r, "fallback-model"));
      Front front = f.open(kind);
      Answer a = front.ask("primary", PROMPT, true, false);
      f.large.always(answer("large-model", "still here"));
      Answer next = front.ask("large", "are you still there?", false, false);
      return Verdict.of(a.summary() + "; next request: " + next.summary(),
          check("exactly the whole answer", a.ok() && a.text().equals(NumberedModel.whole())),
          check("within the idle timeout", a.elapsed().compareTo(p.idleTimeout().multipliedBy(3).plusSeconds(3)) < 0),
          check("still serving", next.ok()));
    }
  }

  private static Verdict malformedEvent(Front.Kind kind, Profile p) {
    try (Fixture f = new Fixture(p)) {
      List<String> events = new ArrayList<>(NumberedModel.events("primary-model", 0, NumberedModel.TOKENS));
      events.add(31, "data: {\"id\":\"chatcmpl-x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"GARBLED\n\n");
      f.primary.always(Reply.sse(events));
      f.fallback.respond(r -> NumberedModel.answer(r, "fallback-model"));
      Answer a = f.open(kind).ask("primary", PROMPT, true, false);
      return Verdict.of(a.summary(),
          check("the rest is delivered, whole", a.ok() && a.text().equals(NumberedModel.whole())),
          check("nothing of the malformed event leaks", !a.text().contains("GARBLED")));
    }
  }

  private static Verdict noDone(Front.Kind kind, Profile p) {
    try (Fixture f = new Fixture(p)) {
      List<String> events = new ArrayList<>(NumberedModel.events("primary-model", 0, NumberedModel.TOKENS));
      events.remove(OpenAiFixtures.DONE);
      f.primary.always(Reply.sse(events));
      f.fallback.respond(r -> NumberedModel.answer(r, "fallback-model"));
      Answer a = f.open(kind).ask("primary", PROMPT, true, true);
      return Verdict.of(a.summary() + "; usage " + a.usage(),
          check("the whole answer, from the primary", a.ok() && a.text().equals(NumberedModel.whole())
              && "primary".equals(a.model())),
          check("usage still reported", a.usage() != null && a.usage().completionTokens() == NumberedModel.TOKENS),
          check("promptly", a.elapsed().toMillis() < 2000));
    }
  }

  private static Verdict contextWindow(Front.Kind kind, Profile p) {
    try (Fixture f = new Fixture(p)) {
      f.primary.always(failure(400, "This model's maximum context length is 8192 tokens. However, your messages"
          + " resulted in 12000 tokens. Please reduce the length of the messages.", "invalid_request_error",
          "context_length_exceeded"));
      f.fallback.always(answer("fallback-model", "from the fallback"));
      f.large.always(answer("large-model", "from the large model"));
      Answer a = f.open(kind).ask("primary", PROMPT, false, false);
      return Verdict.of(a.summary() + "; primary attempts " + f.primary.requests().size(),
          check("the context-window fallback answers", a.ok() && "large".equals(a.model())),
          check("no retry of the same model", f.primary.requests().size() == 1));
    }
  }

  private static Verdict contentPolicy(Front.Kind kind, Profile p) {
    String reason = "Your request was rejected as a result of our safety system.";
    try (Fixture f = new Fixture(p)) {
      f.primary.always(failure(400, reason, "invalid_request_error", "content_policy_violation"));
      f.fallback.always(answer("fallback-model", "from the fallback"));
      Answer a = f.open(kind).ask("primary", PROMPT, false, false);
      return Verdict.of(a.summary() + "; primary attempts " + f.primary.requests().size(),
          check("the provider's reason reaches the caller as a 400", a.status() == 400 && a.error() != null
              && a.error().contains(reason)),
          check("no retry of the same model", f.primary.requests().size() == 1),
          check("no ordinary fallback for a refusal", f.fallback.requests().isEmpty()));
    }
  }

  private static Verdict prefillRejected(Front.Kind kind, Profile p) {
    try (Fixture f = new Fixture(p)) {
      AtomicInteger primaryCalls = new AtomicInteger();
      f.primary.respond(r -> primaryCalls.getAndIncrement() == 0
          ? NumberedModel.cutAfter(r, "primary-model", 40)
          : failure(503, "The server is overloaded.", "server_error", null));
      f.fallback.respond(r -> NumberedModel.isPrefill(r)
          ? failure(400, "This model does not support assistant message prefill. The conversation must end with a"
              + " user message.", "invalid_request_error", null)
          : NumberedModel.answer(r, "fallback-model"));
      Answer a = f.open(kind, true, "    assistant_prefill: true\n").ask("primary", PROMPT, true, false);
      long prefills = f.fallback.requests().stream().filter(NumberedModel::isPrefill).count();
      return Verdict.of(a.summary() + "; fallback saw " + prefills + " prefill(s) then "
              + (f.fallback.requests().size() - prefills) + " other request(s)",
          check("exactly the whole answer", a.ok() && a.text().equals(NumberedModel.whole())),
          check("the fallback was tried with a prefill and then without", prefills == 1
              && f.fallback.requests().size() == 2));
    }
  }

  /**
   * A stream cut by the primary after t0 .. t39, the primary overloaded from then on, and the fallback
   * continuing it the way {@code how} says. Checks the exact text received, word by word.
   */
  private static Runner continued(NumberedModel.Continuing how, String fallbackSettings) {
    return (kind, p) -> {
      try (Fixture f = new Fixture(p)) {
        f.primary.respond(r -> NumberedModel.isContinuation(r)
            ? failure(503, "The server is overloaded.", "server_error", null)
            : NumberedModel.cutAfter(r, "primary-model", 40));
        f.fallback.respond(r -> NumberedModel.answer(r, "fallback-model", how));
        Answer a = f.open(kind, true, fallbackSettings).ask("primary", PROMPT, true, false);
        List<RecordedRequest> asked = f.fallback.requests();
        long prefills = asked.stream().filter(NumberedModel::isPrefill).count();
        String seen = a.summary() + "; received " + words(a.text()) + "; the fallback was asked " + prefills
            + " prefill(s) and " + (asked.size() - prefills) + " continue turn(s)";
        String whole = NumberedModel.whole();
        return switch (how) {
          case FROM_THE_BEGINNING -> Verdict.of(seen,
              check("ended as a success", a.ok()),
              check("exactly t0 .. t59, each once", a.text().equals(whole)),
              check("asked with one continue turn", prefills == 0 && asked.size() == 1));
          case WELL -> Verdict.of(seen,
              check("ended as a success", a.ok()),
              check("exactly t0 .. t59, each once", a.text().equals(whole)),
              check("continued by one prefill", prefills == 1 && asked.size() == 1));
          case REJECTS_PREFILL -> Verdict.of(seen,
              check("ended as a success, the 400 never reaching the caller", a.ok() && a.error() == null),
              check("exactly t0 .. t59, each once", a.text().equals(whole)),
              check("a prefill, refused, then a continue turn", prefills == 1 && asked.size() == 2
                  && NumberedModel.isPrefill(asked.get(0)) && !NumberedModel.isPrefill(asked.get(1))));
          case FROM_THE_BEGINNING_SPACED_DIFFERENTLY -> Verdict.of(seen,
              check("ended as a success", a.ok()),
              check("t0 .. t59, each once, as the caller's part and then the fallback's",
                  a.text().equals(whole.stripTrailing())));
          case WITH_OVERLAP -> Verdict.of(seen,
              check("ended as a success", a.ok()),
              check("exactly t0 .. t59, each once", a.text().equals(whole)));
          case UNRELATED -> Verdict.of(seen,
              check("an error, not a success", !a.ok() && a.errorEvent() && !a.complete()),
              check("exactly t0 .. t39 before it", a.text().equals(NumberedModel.text(0, 40))),
              check("nothing of the unrelated answer", !a.text().contains("Paris")));
        };
      }
    };
  }

  /** How many words a text has, and its first and last. */
  private static String words(String text) {
    String[] words = text.strip().split("\\s+");
    return text.isBlank() ? "no words" : words.length + " words (" + words[0] + " .. " + words[words.length - 1] + ")";
  }

  private static Verdict outageAndRecovery(Front.Kind kind, Profile p) throws InterruptedException {
    try (Fixture f = new Fixture(p)) {
      long start = System.nanoTime();
      long recovery = start + p.outage().toNanos();
      f.primary.respond(r -> System.nanoTime() < recovery
          ? failure(503, "The service is unavailable.", "server_error", null)
          : answer("primary-model", "from the primary"));
      f.fallback.always(answer("fallback-model", "from the fallback"));
      Front front = f.open(kind);
      int asked = 0;
      int failed = 0;
      long primaryBackAt = -1;
      long end = recovery + p.recoveryBound().toNanos() + p.spacing().toNanos();
      while (System.nanoTime() < end && primaryBackAt < 0) {
        long sent = System.nanoTime();
        Answer a = front.ask("primary", PROMPT, false, false);
        asked++;
        if (!a.ok()) {
          failed++;
        } else if (sent >= recovery && "primary".equals(a.model())) {
          primaryBackAt = sent;
        }
        Thread.sleep(Math.max(0, p.spacing().toMillis() - (System.nanoTime() - sent) / 1_000_000));
      }
      long probes = f.primary.requests().stream().filter(r -> r.receivedNanos() < recovery).count();
      long allowedProbes = 3 + p.outage().toNanos() / p.cooldown().toNanos() + 1;
      String seen = asked + " requests, " + failed + " failed; " + probes + " attempts at the primary during the "
          + p.outage().toSeconds() + " s outage; primary serving again "
          + (primaryBackAt < 0 ? "never" : ((primaryBackAt - recovery) / 1_000_000) + " ms after recovery");
      return Verdict.of(seen,
          check("every request answered", failed == 0),
          check("few probes during the outage (at most " + allowedProbes + ")", probes <= allowedProbes),
          check("the primary serves again within " + p.recoveryBound().toSeconds() + " s of recovery",
              primaryBackAt >= 0 && primaryBackAt - recovery <= p.recoveryBound().toNanos()));
    }
  }

  private static Verdict fallbackUsage(Front.Kind kind, Profile p) {
    try (Fixture f = new Fixture(p)) {
      f.primary.always(failure(503, "The server is overloaded.", "server_error", null));
      f.fallback.always(answer("fallback-model-2024-08-06", "from the fallback"));
      Front front = f.open(kind);
      Answer a = front.ask("primary", PROMPT, false, false);
      String metrics = front.metrics();
      boolean countedOnce = kind == Front.Kind.SDK || (metrics.contains(
          "baton_requests_total{model=\"primary\",route=\"/v1/chat/completions\",status=\"200\"} 1.0")
          && metrics.contains("baton_tokens_total{direction=\"out\",model=\"primary\"} 7.0"));
      return Verdict.of(a.summary() + "; model " + a.upstreamModel() + ", usage " + a.usage(),
          check("answered by the fallback", a.ok() && "fallback".equals(a.model())),
          check("the body's model is the fallback's", "fallback-model-2024-08-06".equals(a.upstreamModel())),
          check("the usage is the fallback's", a.usage() != null && a.usage().promptTokens() == 11
              && a.usage().completionTokens() == 7),
          check("one completion counted, with the fallback's tokens only", countedOnce));
    }
  }

  /** The shortest time between two consecutive requests, or null with fewer than two. */
  private static Duration closestGap(List<RecordedRequest> requests) {
    Duration closest = null;
    for (int i = 1; i < requests.size(); i++) {
      Duration gap = Duration.ofNanos(requests.get(i).receivedNanos() - requests.get(i - 1).receivedNanos());
      if (closest == null || gap.compareTo(closest) < 0) {
        closest = gap;
      }
    }
    return closest;
  }

  /** The most requests that arrived within any window of {@code millis}. */
  private static int mostWithin(List<RecordedRequest> requests, long millis) {
    int most = 0;
    for (int i = 0; i < requests.size(); i++) {
      int n = 0;
      for (int j = i; j < requests.size(); j++) {
        if (requests.get(j).receivedNanos() - requests.get(i).receivedNanos() <= millis * 1_000_000) {
          n++;
        }
      }
      most = Math.max(most, n);
    }
    return most;
  }
}
