package dev.baton.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store that can be made to fail as an unreachable database does, for the failure paths a real
 * outage reaches only by chance: a replay cut off after its first chunk, a write failing mid-batch.
 */
public final class FlakyStore implements Store {

  private final Store real;
  private volatile boolean down;
  private final AtomicInteger batchesBeforeFailing = new AtomicInteger(-1);
  private volatile Runnable whenKeysAreRead = () -> {};

  public FlakyStore(Store real) {
    this.real = real;
  }

  /** From now on every call fails as if the database were gone. */
  public void goDown() {
    down = true;
  }

  public void comeBack() {
    down = false;
    batchesBeforeFailing.set(-1);
  }

  /** Runs {@code action} once, the next time every key is read: a change landing mid-refresh. */
  public void whenKeysAreRead(Runnable action) {
    whenKeysAreRead = () -> {
      whenKeysAreRead = () -> {};
      action.run();
    };
  }

  /** Lets {@code n} more request batches through, then goes down. */
  public void failAfterBatches(int n) {
    batchesBeforeFailing.set(n);
  }

  private void check() {
    if (down) {
      throw new DatabaseUnavailableException("database: test outage", null);
    }
  }

  @Override
  public int insertRequests(List<RequestRecord> rows) {
    check();
    if (batchesBeforeFailing.get() == 0) {
      down = true;
      check();
    }
    batchesBeforeFailing.decrementAndGet();
    return real.insertRequests(rows);
  }

  @Override
  public String describe() {
    return "flaky " + real.describe();
  }

  @Override
  public void ping() {
    check();
    real.ping();
  }

  @Override
  public void insertTeam(Team team) {
    check();
    real.insertTeam(team);
  }

  @Override
  public boolean updateTeam(Team team) {
    check();
    return real.updateTeam(team);
  }

  @Override
  public Optional<Team> team(String id) {
    check();
    return real.team(id);
  }

  @Override
  public List<Team> teams() {
    check();
    return real.teams();
  }

  @Override
  public Optional<List<String>> deleteTeam(String id, Instant at) {
    check();
    return real.deleteTeam(id, at);
  }

  @Override
  public void insertKey(ApiKey key) {
    check();
    real.insertKey(key);
  }

  @Override
  public boolean updateKey(ApiKey key) {
    check();
    return real.updateKey(key);
  }

  @Override
  public Optional<ApiKey> key(String id) {
    check();
    return real.key(id);
  }

  @Override
  public Optional<ApiKey> keyByHash(String hash) {
    check();
    return real.keyByHash(hash);
  }

  @Override
  public List<ApiKey> keys() {
    check();
    List<ApiKey> all = real.keys();
    whenKeysAreRead.run();
    return all;
  }

  @Override
  public boolean revokeKey(String id, Instant at) {
    check();
    return real.revokeKey(id, at);
  }

  @Override
  public List<RequestRecord> requests(RequestQuery query) {
    check();
    return real.requests(query);
  }

  @Override
  public List<SpendRow> spend(SpendQuery query) {
    check();
    return real.spend(query);
  }

  @Override
  public Map<String, Double> spendByKey(Instant since) {
    check();
    return real.spendByKey(since);
  }

  @Override
  public Map<String, Double> spendByTeam(Instant since) {
    check();
    return real.spendByTeam(since);
  }

  @Override
  public double spendOf(String id, boolean team, Instant since) {
    check();
    return real.spendOf(id, team, since);
  }

  @Override
  public void putResponses(List<StoredResponse> responses) {
    check();
    real.putResponses(responses);
  }

  @Override
  public Optional<StoredResponse> response(String id, Instant now) {
    check();
    return real.response(id, now);
  }

  @Override
  public boolean deleteResponse(String id) {
    check();
    return real.deleteResponse(id);
  }

  @Override
  public int purgeResponses(Instant now) {
    check();
    return real.purgeResponses(now);
  }

  @Override
  public void close() {
    real.close();
  }
}
