package dev.baton.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The text of the access line the gateway logs for each request. */
class AccessLineTest {

  final StringBuilder reused = new StringBuilder("left over from the line before");

  @Test
  void namesTheRouteStatusModelsAttemptsAndLatency() {
    AccessLog.Line line = new AccessLog.Line(
        "POST", "/v1/chat/completions", 200, "smart", "smart-backup", 2, 12_345_678L, null);

    assertThat(AccessLog.format(line, reused))
        .isEqualTo("POST /v1/chat/completions 200 model=smart served_by=smart-backup attempts=2 latency=12ms");
  }

  @Test
  void showsWhatIsUnknownAsADashAndEndsWithTheError() {
    AccessLog.Line line = new AccessLog.Line(
        "POST", "/v1/embeddings", 400, null, null, 0, 900_000L, "invalid_request_error");

    assertThat(AccessLog.format(line, reused))
        .isEqualTo("POST /v1/embeddings 400 model=- served_by=- attempts=0 latency=0ms error=invalid_request_error");
  }

  @Test
  void saysHowTheCacheTookPart() {
    AccessLog.Line line = new AccessLog.Line(
        "POST", "/v1/chat/completions", 200, "smart", "smart", 0, 1_000_000L, null, "req-1", CacheStatus.HIT);

    assertThat(AccessLog.format(line, reused))
        .isEqualTo("POST /v1/chat/completions 200 model=smart served_by=smart attempts=0 latency=1ms cache=hit"
            + " request_id=req-1");
  }
}
