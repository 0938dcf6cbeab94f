package dev.baton.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where teams, virtual keys, the request log and stored responses live. Two implementations share one
 * schema and one contract test suite: the embedded SQLite file and PostgreSQL ({@link
 * dev.baton.store.jdbc.JdbcStore#open}). Every method may throw {@link StoreException}, and {@link
 * DatabaseUnavailableException} when the database cannot be reached; callers on a request's path never
 * call it directly (keys are cached, limits counted in memory, rows written behind).
 */
public interface Store extends AutoCloseable {

  /** What this is, for logs and {@code /health}: {@code SQLite /var/lib/baton/baton.db}, {@code PostgreSQL db:5432/baton}. */
  String describe();

  /** Throws {@link DatabaseUnavailableException} unless the database answers now. */
  void ping();

  // Teams. Deleted teams are kept (their spend history refers to them) but no longer listed or found.

  void insertTeam(Team team);

  /** Replaces a team's fields by its id; false when there is no such (undeleted) team. */
  boolean updateTeam(Team team);

  Optional<Team> team(String id);

  /** Every team not deleted, oldest first. */
  List<Team> teams();

  /** Marks a team deleted and revokes its keys; the ids of the keys revoked, or empty if no such team. */
  Optional<List<String>> deleteTeam(String id, Instant at);

  // Keys. Revoked keys are kept for the history, found by id, but not by hash nor listed.

  void insertKey(ApiKey key);

  /** Replaces a key's changeable fields by its id; false when there is no such unrevoked key. */
  boolean updateKey(ApiKey key);

  /** A key by id, revoked or not. */
  Optional<ApiKey> key(String id);

  /** The unrevoked key with this secret hash. */
  Optional<ApiKey> keyByHash(String hash);

  /** Every unrevoked key, oldest first. */
  List<ApiKey> keys();

  /** Revokes a key; false when there is no such unrevoked key. */
  boolean revokeKey(String id, Instant at);

  // The request log.

  /** Writes rows in one transaction; a row whose id is already there is skipped. The number written. */
  int insertRequests(List<RequestRecord> rows);

  List<RequestRecord> requests(RequestQuery query);

  List<SpendRow> spend(SpendQuery query);

  /** Each key's spend in USD since a moment, for the keys that spent anything. */
  Map<String, Double> spendByKey(Instant since);

  /** Each team's spend in USD since a moment, for the teams that spent anything. */
  Map<String, Double> spendByTeam(Instant since);

  /** One key's (or, with {@code team} true, one team's) spend in USD since a moment. */
  double spendOf(String id, boolean team, Instant since);

  // Stored Responses-API responses.

  /** Stores or replaces a response. */
  default void putResponse(StoredResponse response) {
    putResponses(List.of(response));
  }

  /** Stores or replaces these responses in one transaction: all of them, or (on failure) none. */
  void putResponses(List<StoredResponse> responses);

  /** A response by id, unless it expired at {@code now}. */
  Optional<StoredResponse> response(String id, Instant now);

  boolean deleteResponse(String id);

  /** Deletes responses expired at {@code now}; how many. */
  int purgeResponses(Instant now);

  @Override
  void close();
}
