package dev.baton.store.spend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.store.Databases;
import dev.baton.store.Eventually;
import dev.baton.store.FlakyStore;
import dev.baton.store.RequestQuery;
import dev.baton.store.RequestRecord;
import dev.baton.store.jdbc.JdbcStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write-behind log and its journal, on the embedded database made to fail on demand. */
class SpendLogTest {

  @TempDir
  Path dataDir;

  JdbcStore real;
  FlakyStore store;
  Path journal;

  @BeforeEach
  void open() {
    real = JdbcStore.open(Databases.embedded(dataDir));
    store = new FlakyStore(real);
    journal = dataDir.resolve("spend-journal.jsonl");
  }

  @AfterEach
  void close() {
    real.close();
  }

  @Test
  void recordedRowsAreInTheDatabaseWithinFiveSeconds() {
    SpendLog log = new SpendLog(store, journal, false);
    log.start(Duration.ofMillis(500));
    for (int i = 0; i < 50; i++) {
      log.record(row(i));
    }

    Duration took = Eventually.within(Duration.ofSeconds(5), "50 rows in the database",
        () -> real.requests(RequestQuery.latest(100)).size() == 50);

    assertThat(took).isLessThan(Duration.ofSeconds(5));
    log.close();
  }

  @Test
  void promptsAndAnswersAreDroppedUnlessStoreContentIsOn() {
    SpendLog without = new SpendLog(store, journal, false);
    without.record(RequestRecord.builder(Instant.now()).id("req_plain").content("the prompt", "the answer").build());
    without.flush();
    SpendLog with = new SpendLog(store, journal, true);
    with.record(RequestRecord.builder(Instant.now()).id("req_full").content("the prompt", "the answer").build());
    with.flush();

    List<RequestRecord> rows = real.requests(RequestQuery.latest(10));

    assertThat(rows).filteredOn(r -> r.id().equals("req_plain")).singleElement()
        .satisfies(r -> assertThat(r.prompt()).isNull()).satisfies(r -> assertThat(r.answer()).isNull());
    assertThat(rows).filteredOn(r -> r.id().equals("req_full")).singleElement()
        .satisfies(r -> assertThat(r.prompt()).isEqualTo("the prompt"));
  }

  @Test
  void closingWritesWhatIsQueued() {
    SpendLog log = new SpendLog(store, journal, false);
    log.start(Duration.ofSeconds(60));
    for (int i = 0; i < 20; i++) {
      log.record(row(i));
    }

    log.close(Duration.ofSeconds(5));

    assertThat(real.requests(RequestQuery.latest(100))).hasSize(20);
    assertThat(Files.exists(journal)).isFalse();
  }

  @Test
  void whileTheDatabaseIsDownRowsGoToTheJournalAndAreWrittenOnceWhenItIsBack() throws Exception {
    SpendLog log = new SpendLog(store, journal, false);
    log.record(row(0));
    log.flush();
    store.goDown();

    for (int i = 1; i <= 30; i++) {
      log.record(row(i));
    }
    log.flush();

    assertThat(log.databaseUp()).isFalse();
    assertThat(Files.readAllLines(journal)).hasSize(30);
    store.comeBack();
    log.probe();
    assertThat(log.databaseUp()).isTrue();
    log.record(row(31));
    log.flush();
    assertThat(ids(real.requests(RequestQuery.latest(100)))).hasSize(32).isEqualTo(expectedIds(32));
    assertThat(Files.exists(journal)).isFalse();
  }

  @Test
  void aReplayCutShortIsRunAgainWithoutWritingAnyRowTwice() {
    SpendLog log = new SpendLog(store, journal, false);
    store.goDown();
    for (int i = 0; i < 2500; i++) {
      log.record(row(i));
    }
    log.flush();
    store.comeBack();
    store.failAfterBatches(1); // the first 1000 rows are written, then the database goes again
    log.probe();

    log.flush();
    assertThat(real.requests(RequestQuery.latest(5000))).hasSize(1000);
    store.comeBack();
    log.probe();
    log.flush();

    List<RequestRecord> rows = real.requests(RequestQuery.latest(5000));
    assertThat(rows).hasSize(2500);
    assertThat(ids(rows)).isEqualTo(expectedIds(2500));
  }

  @Test
  void aJournalLeftByAnEarlierRunIsReplayedAtStartExactlyOnce() {
    SpendLog before = new SpendLog(store, journal, false);
    before.record(row(0));
    before.flush();
    store.goDown();
    for (int i = 1; i < 10; i++) {
      before.record(row(i));
    }
    before.close(Duration.ofSeconds(1));
    assertThat(Files.exists(journal)).isTrue();
    store.comeBack();

    SpendLog after = new SpendLog(store, journal, false);
    int replayed = after.replayJournal();

    assertThat(replayed).isEqualTo(9);
    assertThat(ids(real.requests(RequestQuery.latest(100)))).isEqualTo(expectedIds(10));
    assertThat(after.replayJournal()).isZero();
  }

  @Test
  void aRowAlreadyInTheDatabaseAndInTheJournalIsKeptOnce() {
    real.insertRequests(List.of(row(0), row(1)));
    new Journal(journal).append(List.of(row(1), row(2)));

    new SpendLog(store, journal, false).replayJournal();

    assertThat(ids(real.requests(RequestQuery.latest(100)))).isEqualTo(expectedIds(3));
  }

  @Test
  void aLastLineCutOffByACrashIsSkippedAndTheRestReplayed() throws Exception {
    new Journal(journal).append(List.of(row(0), row(1)));
    Files.writeString(journal, "{\"id\":\"req_0002\",\"time_ms\":17", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);

    new SpendLog(store, journal, false).replayJournal();

    assertThat(ids(real.requests(RequestQuery.latest(100)))).isEqualTo(expectedIds(2));
  }

  @Test
  void recordingNeverWaitsOnADeadDatabase() {
    SpendLog log = new SpendLog(store, journal, false);
    store.goDown();

    for (int i = 0; i < 10_000; i++) {
      log.record(row(i));
    }

    assertThat(log.pending()).isEqualTo(10_000);
  }

  static RequestRecord row(int i) {
    return RequestRecord.builder(Instant.parse("2026-12-01T00:00:00Z").plusMillis(i)).id(String.format("req_%04d", i))
        .keyId("key_1").model("smart").answeredBy("smart").tokens(10, 5).costUsd(0.001).latencyMs(12).status(200)
        .build();
  }

  static Set<String> ids(List<RequestRecord> rows) {
    Set<String> ids = new HashSet<>();
    for (RequestRecord r : rows) {
      assertThat(ids.add(r.id())).as("row %s is written once", r.id()).isTrue();
    }
    return ids;
  }

  static Set<String> expectedIds(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(String.format("req_%04d", i));
    }
    return new HashSet<>(ids);
  }
}
