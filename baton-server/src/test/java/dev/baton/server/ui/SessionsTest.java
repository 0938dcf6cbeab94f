package dev.baton.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.config.Secret;
import dev.baton.server.pipeline.GatewayError;
import dev.baton.server.pipeline.TestCall;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Sessions on their own clock: how they end, how many are kept, and who may not sign in at all. */
class SessionsTest {

  static final String MASTER = "sk-sessions-test-master-0123456789";

  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));
  final InstantSource clock = () -> now.get();
  final Sessions sessions = new Sessions(Secret.of(MASTER), clock);

  void pass(Duration d) {
    now.updateAndGet(t -> t.plus(d));
  }

  static TestCall withCookie(Sessions.SignedIn signedIn) {
    return TestCall.get("/admin/keys").header("Cookie", "theme=dark; " + Sessions.COOKIE + "=" + signedIn.cookieValue());
  }

  @Test
  void aSessionUnusedForAnHourEnds() {
    Sessions.SignedIn in = sessions.signIn(TestCall.post("/ui/session", "{}"), MASTER);
    pass(Sessions.IDLE.minusMinutes(1));
    assertThat(sessions.find(withCookie(in))).as("used within the hour").isNotNull();
    pass(Sessions.IDLE.minusMinutes(1));
    assertThat(sessions.find(withCookie(in))).as("an hour after its last use, not its start").isNotNull();
    pass(Sessions.IDLE);
    assertThat(sessions.find(withCookie(in))).isNull();
  }

  @Test
  void aSessionInUseStillEndsTwelveHoursAfterSignIn() {
    Sessions.SignedIn in = sessions.signIn(TestCall.post("/ui/session", "{}"), MASTER);
    for (Duration spent = Duration.ZERO; spent.compareTo(Sessions.LIFETIME) < 0; spent = spent.plusMinutes(30)) {
      assertThat(sessions.find(withCookie(in))).as("after " + spent).isNotNull();
      pass(Duration.ofMinutes(30));
    }
    assertThat(sessions.find(withCookie(in))).isNull();
    assertThat(in.session().expiresAt()).isEqualTo(Instant.parse("2026-12-01T22:00:00Z"));
  }

  @Test
  void pastTheLimitTheLeastRecentlyUsedSessionEnds() {
    Sessions.SignedIn first = sessions.signIn(TestCall.post("/ui/session", "{}"), MASTER);
    pass(Duration.ofSeconds(1));
    Sessions.SignedIn second = sessions.signIn(TestCall.post("/ui/session", "{}"), MASTER);
    pass(Duration.ofSeconds(1));
    sessions.find(withCookie(first));
    for (int i = 2; i < Sessions.MAX_SESSIONS; i++) {
      sessions.signIn(TestCall.post("/ui/session", "{}"), MASTER);
    }
    assertThat(sessions.size()).isEqualTo(Sessions.MAX_SESSIONS);
    sessions.signIn(TestCall.post("/ui/session", "{}"), MASTER);

    assertThat(sessions.size()).isEqualTo(Sessions.MAX_SESSIONS);
    assertThat(sessions.find(withCookie(second))).as("the least recently used").isNull();
    assertThat(sessions.find(withCookie(first))).isNotNull();
  }

  @Test
  void withoutAMasterKeyNobodySignsIn() {
    Sessions open = new Sessions(null, clock);
    assertThatThrownBy(() -> open.signIn(TestCall.post("/ui/session", "{}"), ""))
        .isInstanceOfSatisfying(GatewayError.class, e -> {
          assertThat(e.status()).isEqualTo(403);
          assertThat(e.code()).isEqualTo("admin_disabled");
        });
  }

  @Test
  void aKeyThatOnlyBeginsLikeTheMasterKeyIsWrong() {
    for (String wrong : new String[] {MASTER.substring(0, MASTER.length() - 1), MASTER + "x", MASTER.toUpperCase()}) {
      assertThatThrownBy(() -> sessions.signIn(TestCall.post("/ui/session", "{}"), wrong)).as(wrong)
          .isInstanceOfSatisfying(GatewayError.class, e -> assertThat(e.status()).isEqualTo(401));
    }
  }

  @Test
  void throttledFailuresAgeOutAfterTheWindow() {
    for (int i = 0; i < SignInThrottle.MAX_FAILURES; i++) {
      assertThatThrownBy(() -> sessions.signIn(TestCall.post("/ui/session", "{}"), "wrong"))
          .isInstanceOfSatisfying(GatewayError.class, e -> assertThat(e.status()).isEqualTo(401));
      pass(Duration.ofSeconds(1));
    }
    assertThatThrownBy(() -> sessions.signIn(TestCall.post("/ui/session", "{}"), MASTER))
        .isInstanceOfSatisfying(GatewayError.class, e -> {
          assertThat(e.status()).isEqualTo(429);
          assertThat(e.retryAfter()).isEqualTo(SignInThrottle.WINDOW.minusSeconds(SignInThrottle.MAX_FAILURES));
        });
    pass(SignInThrottle.WINDOW);
    assertThat(sessions.signIn(TestCall.post("/ui/session", "{}"), MASTER)).isNotNull();
  }
}
