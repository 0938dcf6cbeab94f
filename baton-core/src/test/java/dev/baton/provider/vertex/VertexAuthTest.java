package dev.baton.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.baton.AuthenticationException;
import dev.baton.ChatRequest;
import dev.baton.ConnectionFailedException;
import dev.baton.ServerErrorException;
import dev.baton.provider.Provider;
import dev.baton.testkit.FakeGoogleAuth;
import dev.baton.testkit.GeminiFixtures;
import dev.baton.testkit.RecordedRequest;
import dev.baton.testkit.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Vertex AI's access tokens, fetched over real HTTP from a fake of Google's token endpoint that checks the
 * service account's RS256 signature and claims as the real one does: one fetch for many requests, renewed
 * before it expires without making a request wait, fetched again once expired, and each refusal mapped to
 * the failure the router acts on — with no key material in any message.
 */
class VertexAuthTest {

  private static final ChatRequest HI = ChatRequest.of("Hi");

  @Test
  void theServiceAccountSignsAJwtThatTheTokenEndpointAccepts() {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      h.answer(Reply.json(200, GeminiFixtures.answer("Hello")));

      assertThat(h.chat(HI).text()).isEqualTo("Hello");

      RecordedRequest exchange = h.auth.server().lastRequest();
      assertThat(exchange.header("content-type")).startsWith("application/x-www-form-urlencoded");
      assertThat(exchange.bodyText()).startsWith("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
          + "&assertion=");
      Map<String, String> claims = h.auth.assertions().get(0);
      long now = h.clock.millis() / 1000;
      assertThat(claims).containsEntry("iss", FakeGoogleAuth.CLIENT_EMAIL)
          .containsEntry("aud", h.auth.tokenUri())
          .containsEntry("scope", "https://www.googleapis.com/auth/cloud-platform")
          .containsEntry("iat", String.valueOf(now))
          .containsEntry("exp", String.valueOf(now + 3600));
      assertThat(h.last().header("authorization")).isEqualTo("Bearer " + FakeGoogleAuth.token(1));
    }
  }

  @Test
  void oneTokenServesEveryRequestWhileItIsFresh() {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      h.answer(Reply.json(200, GeminiFixtures.answer("Hello")));

      for (int i = 0; i < 5; i++) {
        h.chat(HI);
        h.clock.advance(Duration.ofMinutes(10));
      }

      assertThat(h.auth.tokensIssued()).as("tokens fetched for five requests within 50 minutes").isEqualTo(1);
    }
  }

  @Test
  void aTokenIsRenewedInTheBackgroundBeforeItExpires() {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      h.answer(Reply.json(200, GeminiFixtures.answer("Hello")));
      h.chat(HI);

      h.clock.advance(Duration.ofMinutes(56)); // 4 minutes left of the hour: inside the renewal margin
      h.chat(HI);

      assertThat(h.last().header("authorization")).as("the request in the margin uses the still-valid token")
          .isEqualTo("Bearer " + FakeGoogleAuth.token(1));
      awaitRenewal(h, FakeGoogleAuth.token(2));
      assertThat(h.auth.tokensIssued()).as("one renewal, however many requests came in the margin").isEqualTo(2);
    }
  }

  @Test
  void anExpiredTokenIsFetchedAgainBeforeTheRequestIsSent() {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      h.answer(Reply.json(200, GeminiFixtures.answer("Hello")));
      h.chat(HI);
      h.auth.revokeAll(); // Vertex AI no longer takes the first token

      h.clock.advance(Duration.ofMinutes(61));
      String text = h.chat(HI).text();

      assertThat(text).isEqualTo("Hello");
      assertThat(h.last().header("authorization")).isEqualTo("Bearer " + FakeGoogleAuth.token(2));
    }
  }

  @Test
  void aShortLivedTokenIsRenewedHalfwayThroughItsLife() {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      h.auth.expiresIn(120);
      h.answer(Reply.json(200, GeminiFixtures.answer("Hello")));
      h.chat(HI);

      h.clock.advance(Duration.ofSeconds(50));
      h.chat(HI);
      assertThat(h.auth.tokensIssued()).as("at 50 of 120 seconds, no renewal yet").isEqualTo(1);
      h.clock.advance(Duration.ofSeconds(20));

      awaitRenewal(h, FakeGoogleAuth.token(2));
    }
  }

  @Test
  void userCredentialsTradeTheirRefreshToken() throws IOException {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      var user = h.auth.writeAuthorizedUser(h.dir);
      Provider provider = h.create(h.deployment("gemini-2.5-flash").option(VertexFactory.CREDENTIALS, user.toString())
          .build());
      h.answer(Reply.json(200, GeminiFixtures.answer("Hello")));

      String text = provider.chat(HI, Harness.call()).text();

      assertThat(text).isEqualTo("Hello");
      assertThat(h.auth.server().lastRequest().bodyText()).startsWith("grant_type=refresh_token&client_id=");
      assertThat(h.last().path()).as("the project comes from the file's quota_project_id")
          .startsWith("/v1/projects/" + FakeGoogleAuth.PROJECT + "/");
    }
  }

  @Test
  void aKeyTheTokenEndpointDoesNotKnowIsAnAuthenticationFailureNamingTheFile() throws IOException {
    try (Harness h = new Harness("gemini-2.5-flash"); FakeGoogleAuth other = FakeGoogleAuth.start()) {
      // Another key pair's file, pointed at this token endpoint: its signature will not verify.
      var foreign = other.writeServiceAccount(Files.createTempDirectory("foreign"));
      Files.writeString(foreign, Files.readString(foreign).replace(other.tokenUri(), h.auth.tokenUri()));
      Provider provider = h.create(h.deployment("gemini-2.5-flash").option(VertexFactory.CREDENTIALS,
          foreign.toString()).build());

      AuthenticationException e = catchThrowableOfType(AuthenticationException.class,
          () -> provider.chat(HI, Harness.call()));

      assertThat(e).as("a refused signature").isNotNull();
      assertThat(e.httpStatus()).isEqualTo(400);
      assertThat(e.upstreamCode()).isEqualTo("invalid_grant");
      assertThat(e.getMessage()).contains("Invalid JWT Signature.").contains(foreign.toString())
          .contains(FakeGoogleAuth.CLIENT_EMAIL).doesNotContain("PRIVATE KEY").doesNotContain("assertion=");
      assertThat(h.vertex.requests()).as("nothing is sent to Vertex AI without a token").isEmpty();
    }
  }

  @Test
  void aTokenEndpointFaultIsAServerErrorSoTheRouterRetries() {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      h.auth.server().enqueue(Reply.json(503, "{\"error\":\"temporarily_unavailable\"}"));

      ServerErrorException e = catchThrowableOfType(ServerErrorException.class, () -> h.chat(HI));

      assertThat(e).isNotNull();
      assertThat(e.httpStatus()).isEqualTo(503);
    }
  }

  @Test
  void anUnreachableTokenEndpointIsAConnectionFailure() throws IOException {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      String tokenUri = h.auth.tokenUri();
      h.auth.close();

      ConnectionFailedException e = catchThrowableOfType(ConnectionFailedException.class, () -> h.chat(HI));

      assertThat(e).as("the token endpoint %s is closed", tokenUri).isNotNull();
    }
  }

  @Test
  void aFailedBackgroundRenewalKeepsTheValidToken() {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      h.answer(Reply.json(200, GeminiFixtures.answer("Hello")));
      h.chat(HI);
      h.auth.server().enqueue(Reply.json(500, "{\"error\":\"internal_failure\"}"));

      h.clock.advance(Duration.ofMinutes(57));
      h.chat(HI);
      h.auth.server().awaitRequests(2, Duration.ofSeconds(5));
      String text = h.chat(HI).text();

      assertThat(text).isEqualTo("Hello");
      assertThat(h.last().header("authorization")).isEqualTo("Bearer " + FakeGoogleAuth.token(1));
    }
  }

  /** Sends requests until one carries {@code token}: the background renewal stores it a moment after the fetch. */
  private static void awaitRenewal(Harness h, String token) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      h.chat(HI);
      if (("Bearer " + token).equals(h.last().header("authorization"))) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no request carried the renewed token " + token + "; the fake issued "
            + h.auth.tokensIssued());
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
