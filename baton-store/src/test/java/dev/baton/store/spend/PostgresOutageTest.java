package dev.baton.store.spend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.config.DatabaseConfig;
import dev.baton.store.Databases;
import dev.baton.store.DatabaseUnavailableException;
import dev.baton.store.Eventually;
import dev.baton.store.RequestQuery;
import dev.baton.store.RequestRecord;
import dev.baton.store.SpendQuery;
import dev.baton.store.SpendRow;
import dev.baton.store.jdbc.JdbcStore;
import dev.baton.testkit.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL stopped dead under load and started again: nothing lost, nothing twice, health follows. */
class PostgresOutageTest {

  static final double COST = 0.001;

  @TempDir
  Path dataDir;

  PostgresServer server;
  DatabaseConfig config;
  Path journal;

  @BeforeEach
  void start() {
    server = PostgresServer.start();
    config = Databases.postgres(server, dataDir);
    journal = dataDir.resolve("spend-journal.jsonl");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theDatabaseKilledMidLoadAndBroughtBackLosesNoRowAndWritesNoneTwice() throws Exception {
    JdbcStore store = JdbcStore.open(config);
    SpendLog log = new SpendLog(store, journal, false);
    log.start(Duration.ofMillis(200));
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger recorded = new AtomicInteger();
    List<Thread> load = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      load.add(Thread.ofVirtual().start(() -> {
        for (int i = 0; running.get(); i++) {
          log.record(RequestRecord.builder(Instant.now()).id("req_" + thread + "_" + i).keyId("key_" + thread)
              .model("smart").tokens(3, 4).costUsd(COST).status(200).build());
          recorded.incrementAndGet();
          sleep(2);
        }
      }));
    }
    sleep(1000);

    server.kill();
    Duration noticedDown = Eventually.within(Duration.ofSeconds(10), "database: down", () -> !log.databaseUp());
    sleep(1500);
    assertThat(log.stats().journaled()).as("rows recorded during the outage went to the journal").isPositive();
    server.restart();
    Duration noticedUp = Eventually.within(Duration.ofSeconds(10), "database: up", log::databaseUp);
    sleep(500);
    running.set(false);
    for (Thread t : load) {
      t.join();
    }
    Eventually.within(Duration.ofSeconds(15), "journal replayed", () -> !log.stats().journalWaiting());
    log.close(Duration.ofSeconds(5));

    SpendRow total = store.spend(new SpendQuery(SpendQuery.GroupBy.MODEL, null, null)).get(0);
    assertThat(total.requests()).as("rows in the database (recorded %d; down noticed after %d ms, up after %d ms)",
        recorded.get(), noticedDown.toMillis(), noticedUp.toMillis()).isEqualTo(recorded.get());
    assertThat(total.spendUsd()).isCloseTo(recorded.get() * COST, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(Files.exists(journal)).isFalse();
    store.close();
  }

  @Test
  void aRestartDuringTheOutageKeepsTheJournalForTheNextStartThatReachesTheDatabase() {
    JdbcStore store = JdbcStore.open(config);
    SpendLog log = new SpendLog(store, journal, false);
    log.record(row("req_before"));
    log.flush();
    server.kill();
    for (int i = 0; i < 25; i++) {
      log.record(row("req_during_" + i));
    }
    log.close(Duration.ofSeconds(8));
    store.close();

    assertThatThrownBy(() -> JdbcStore.open(config)).as("a start while the database is still down")
        .isInstanceOf(DatabaseUnavailableException.class)
        .hasMessageStartingWith("database: cannot connect to PostgreSQL 127.0.0.1:" + server.port());
    assertThat(Files.exists(journal)).isTrue();

    server.restart();
    JdbcStore again = JdbcStore.open(config);
    SpendLog next = new SpendLog(again, journal, false);
    assertThat(next.replayJournal()).isEqualTo(25);
    assertThat(again.requests(RequestQuery.latest(100))).hasSize(26);
    assertThat(next.replayJournal()).isZero();
    again.close();
  }

  @Test
  void aHungDatabaseNeitherBlocksRecordingNorHoldsUpShutdownAndItsRowsAreWrittenOnceLater() throws Exception {
    JdbcStore store = JdbcStore.open(config);
    SpendLog log = new SpendLog(store, journal, false);
    log.start(Duration.ofMillis(200));
    log.record(row("req_before"));
    log.flush();

    server.freeze();
    try {
      for (int i = 0; i < 50; i++) {
        log.record(row("req_hung_" + i)); // returns at once: it only queues
      }
      Eventually.within(Duration.ofSeconds(10), "database: down while it hangs", () -> !log.databaseUp());
      long start = System.nanoTime();
      log.close(Duration.ofSeconds(5));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).as("shutdown with the database hung").isLessThan(Duration.ofSeconds(8));
      assertThat(Files.exists(journal)).isTrue();
    } finally {
      server.thaw();
    }
    store.close();

    JdbcStore again = JdbcStore.open(config);
    new SpendLog(again, journal, false).replayJournal();
    List<RequestRecord> rows = again.requests(RequestQuery.latest(1000));
    assertThat(rows).hasSize(51);
    assertThat(rows.stream().map(RequestRecord::id).distinct().count()).isEqualTo(51);
    again.close();
  }

  static RequestRecord row(String id) {
    return RequestRecord.builder(Instant.now()).id(id).keyId("key_1").model("smart").costUsd(COST).status(200).build();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
