package dev.baton.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.baton.config.DatabaseConfig;
import dev.baton.store.ApiKey;
import dev.baton.store.AttemptRecord;
import dev.baton.store.BudgetPeriod;
import dev.baton.store.DatabaseUnavailableException;
import dev.baton.store.Limits;
import dev.baton.store.RequestQuery;
import dev.baton.store.RequestRecord;
import dev.baton.store.SpendQuery;
import dev.baton.store.SpendRow;
import dev.baton.store.Store;
import dev.baton.store.StoreException;
import dev.baton.store.StoredResponse;
import dev.baton.store.Team;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Store} on JDBC, for both databases: the SQL is the portable subset SQLite and PostgreSQL
 * share (times as epoch milliseconds, JSON as text, {@code INSERT … ON CONFLICT DO NOTHING}), so one class
 * serves both and the contract test suite pins that they behave alike. Connections come from HikariCP;
 * the schema is migrated by Flyway at {@link #open}.
 */
public final class JdbcStore implements Store {

  private static final long HOUR_MS = 3_600_000;
  private static final String KEY_SCOPE = "key:";
  private static final String TEAM_SCOPE = "team:";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long DAY_MS = 86_400_000L;
  private static final String KEY_COLUMNS = "id, name, key_hash, key_prefix, team_id, models, rpm, tpm, max_budget_usd, "
      + "budget_duration, metadata, blocked, expires_at, created_at, updated_at, revoked_at";
  private static final String TEAM_COLUMNS = "id, name, models, rpm, tpm, max_budget_usd, budget_duration, metadata, "
      + "blocked, created_at, updated_at";
  private static final String REQUEST_COLUMNS = "id, time_ms, key_id, team_id, route, model, answered_by, attempts, "
      + "input_tokens, output_tokens, cost_usd, latency_ms, status, cache, request_id, error, prompt, answer";

  private final HikariDataSource pool;
  private final DatabaseTarget target;

  private JdbcStore(HikariDataSource pool, DatabaseTarget target) {
    this.pool = pool;
    this.target = target;
  }

  /**
   * Connects to the configured database (creating the embedded one under {@code data_dir} when no url is
   * set) and migrates its schema.
   *
   * @throws DatabaseUnavailableException when it cannot be reached; the message is one line
   * @throws StoreException when the schema cannot be migrated
   */
  public static JdbcStore open(DatabaseConfig config) {
    DatabaseTarget target;
    try {
      target = DatabaseTarget.of(config);
    } catch (IllegalArgumentException e) {
      throw new DatabaseUnavailableException(e.getMessage(), e);
    }
    if (target.kind() == DatabaseTarget.Kind.SQLITE && config.url() == null) {
      try {
        Files.createDirectories(config.dataDir());
      } catch (IOException e) {
        throw new DatabaseUnavailableException("database: cannot create data_dir " + config.dataDir() + ": "
            + e.getMessage(), e);
      }
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(poolConfig(target));
    } catch (HikariPool.PoolInitializationException | IllegalArgumentException e) {
      throw new DatabaseUnavailableException("database: cannot connect to " + target.description() + ": "
          + rootMessage(e), e);
    }
    try {
      Flyway.configure(JdbcStore.class.getClassLoader())
          .dataSource(pool)
          .locations("classpath:db/migration")
          .table("baton_schema_history")
          .baselineOnMigrate(false)
          .load()
          .migrate();
    } catch (FlywayException e) {
      pool.close();
      throw new StoreException("database: migrating the schema of " + target.description() + " failed: "
          + rootMessage(e), e);
    }
    return new JdbcStore(pool, target);
  }

  private static HikariConfig poolConfig(DatabaseTarget target) {
    HikariConfig c = new HikariConfig();
    c.setPoolName("baton-db");
    c.setJdbcUrl(target.jdbcUrl());
    if (target.user() != null) {
      c.setUsername(target.user());
    }
    if (target.password() != null) {
      c.setPassword(target.password());
    }
    // A dead database must fail a call in seconds, never hang it: the spend log then journals and moves on.
    c.setConnectionTimeout(3_000);
    c.setValidationTimeout(1_000);
    c.setInitializationFailTimeout(5_000);
    if (target.kind() == DatabaseTarget.Kind.SQLITE) {
      c.setMaximumPoolSize(4);
      c.addDataSourceProperty("journal_mode", "WAL");
      c.addDataSourceProperty("synchronous", "NORMAL");
      c.addDataSourceProperty("busy_timeout", "5000");
    } else {
      c.setMaximumPoolSize(10);
      c.setMinimumIdle(2);
      c.addDataSourceProperty("connectTimeout", "3");
      c.addDataSourceProperty("socketTimeout", "30");
      c.addDataSourceProperty("tcpKeepAlive", "true");
      c.addDataSourceProperty("ApplicationName", "baton");
    }
    return c;
  }

  @Override
  public String describe() {
    return target.description();
  }

  @Override
  public void ping() {
    try (Connection c = pool.getConnection()) {
      if (!c.isValid(2)) {
        throw new DatabaseUnavailableException("database: " + target.description() + " does not answer", null);
      }
    } catch (SQLException e) {
      throw failure("reaching the database", e);
    }
  }

  // Teams

  @Override
  public void insertTeam(Team t) {
    update("creating team " + t.id(), "INSERT INTO baton_teams (" + TEAM_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        ps -> {
          ps.setString(1, t.id());
          ps.setString(2, t.name());
          int i = setLimits(ps, 3, t.limits());
          ps.setString(i++, json(t.metadata()));
          ps.setBoolean(i++, t.blocked());
          ps.setLong(i++, t.createdAt().toEpochMilli());
          ps.setLong(i, t.updatedAt().toEpochMilli());
        });
  }

  @Override
  public boolean updateTeam(Team t) {
    return update("updating team " + t.id(), "UPDATE baton_teams SET name = ?, models = ?, rpm = ?, tpm = ?, "
        + "max_budget_usd = ?, budget_duration = ?, metadata = ?, blocked = ?, updated_at = ? "
        + "WHERE id = ? AND deleted_at IS NULL", ps -> {
          ps.setString(1, t.name());
          int i = setLimits(ps, 2, t.limits());
          ps.setString(i++, json(t.metadata()));
          ps.setBoolean(i++, t.blocked());
          ps.setLong(i++, t.updatedAt().toEpochMilli());
          ps.setString(i, t.id());
        }) == 1;
  }

  @Override
  public Optional<Team> team(String id) {
    List<Team> found = query("reading team " + id, "SELECT " + TEAM_COLUMNS
        + " FROM baton_teams WHERE id = ? AND deleted_at IS NULL", ps -> ps.setString(1, id), JdbcStore::team);
    return found.stream().findFirst();
  }

  @Override
  public List<Team> teams() {
    return query("listing teams", "SELECT " + TEAM_COLUMNS
        + " FROM baton_teams WHERE deleted_at IS NULL ORDER BY created_at, id", ps -> {}, JdbcStore::team);
  }

  @Override
  public Optional<List<String>> deleteTeam(String id, Instant at) {
    return transaction("deleting team " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE baton_teams SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL")) {
        ps.setLong(1, at.toEpochMilli());
        ps.setLong(2, at.toEpochMilli());
        ps.setString(3, id);
        if (ps.executeUpdate() == 0) {
          return Optional.empty();
        }
      }
      List<String> keys = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT id FROM baton_keys WHERE team_id = ? AND revoked_at IS NULL ORDER BY created_at, id")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            keys.add(rs.getString(1));
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE baton_keys SET revoked_at = ?, updated_at = ? WHERE team_id = ? AND revoked_at IS NULL")) {
        ps.setLong(1, at.toEpochMilli());
        ps.setLong(2, at.toEpochMilli());
        ps.setString(3, id);
        ps.executeUpdate();
      }
      return Optional.of(List.copyOf(keys));
    });
  }

  // Keys

  @Override
  public void insertKey(ApiKey k) {
    update("creating key " + k.id(), "INSERT INTO baton_keys (" + KEY_COLUMNS
        + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", ps -> {
          ps.setString(1, k.id());
          ps.setString(2, k.name());
          ps.setString(3, k.hash());
          ps.setString(4, k.prefix());
          ps.setString(5, k.teamId());
          int i = setLimits(ps, 6, k.limits());
          ps.setString(i++, json(k.metadata()));
          ps.setBoolean(i++, k.blocked());
          setInstant(ps, i++, k.expiresAt());
          ps.setLong(i++, k.createdAt().toEpochMilli());
          ps.setLong(i++, k.updatedAt().toEpochMilli());
          setInstant(ps, i, k.revokedAt());
        });
  }

  @Override
  public boolean updateKey(ApiKey k) {
    return update("updating key " + k.id(), "UPDATE baton_keys SET name = ?, team_id = ?, models = ?, rpm = ?, "
        + "tpm = ?, max_budget_usd = ?, budget_duration = ?, metadata = ?, blocked = ?, expires_at = ?, updated_at = ? "
        + "WHERE id = ? AND revoked_at IS NULL", ps -> {
          ps.setString(1, k.name());
          ps.setString(2, k.teamId());
          int i = setLimits(ps, 3, k.limits());
          ps.setString(i++, json(k.metadata()));
          ps.setBoolean(i++, k.blocked());
          setInstant(ps, i++, k.expiresAt());
          ps.setLong(i++, k.updatedAt().toEpochMilli());
          ps.setString(i, k.id());
        }) == 1;
  }

  @Override
  public Optional<ApiKey> key(String id) {
    return query("reading key " + id, "SELECT " + KEY_COLUMNS + " FROM baton_keys WHERE id = ?",
        ps -> ps.setString(1, id), JdbcStore::key).stream().findFirst();
  }

  @Override
  public Optional<ApiKey> keyByHash(String hash) {
    return query("looking up a key", "SELECT " + KEY_COLUMNS + " FROM baton_keys WHERE key_hash = ? AND revoked_at IS NULL",
        ps -> ps.setString(1, hash), JdbcStore::key).stream().findFirst();
  }

  @Override
  public List<ApiKey> keys() {
    return query("listing keys", "SELECT " + KEY_COLUMNS
        + " FROM baton_keys WHERE revoked_at IS NULL ORDER BY created_at, id", ps -> {}, JdbcStore::key);
  }

  @Override
  public boolean revokeKey(String id, Instant at) {
    return update("revoking key " + id,
        "UPDATE baton_keys SET revoked_at = ?, updated_at = ? WHERE id = ? AND revoked_at IS NULL", ps -> {
          ps.setLong(1, at.toEpochMilli());
          ps.setLong(2, at.toEpochMilli());
          ps.setString(3, id);
        }) == 1;
  }

  // The request log

  @Override
  public int insertRequests(List<RequestRecord> rows) {
    if (rows.isEmpty()) {
      return 0;
    }
    return transaction("writing " + rows.size() + " request-log rows", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO baton_requests (" + REQUEST_COLUMNS
          + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO NOTHING")) {
        for (RequestRecord r : rows) {
          ps.setString(1, r.id());
          ps.setLong(2, r.time().toEpochMilli());
          ps.setString(3, r.keyId());
          ps.setString(4, r.teamId());
          ps.setString(5, r.route());
          ps.setString(6, r.model());
          ps.setString(7, r.answeredBy());
          ps.setString(8, json(r.attempts()));
          ps.setLong(9, r.inputTokens());
          ps.setLong(10, r.outputTokens());
          ps.setDouble(11, r.costUsd());
          ps.setLong(12, r.latencyMs());
          ps.setInt(13, r.status());
          ps.setString(14, r.cache());
          ps.setString(15, r.requestId());
          ps.setString(16, r.error());
          ps.setString(17, r.prompt());
          ps.setString(18, r.answer());
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        int written = 0;
        Map<String, Map<Long, Double>> hours = new HashMap<>();
        for (int i = 0; i < counts.length; i++) {
          // 0: the row was there already (a replayed journal), its spend counted already. Only a row the
          // driver reports as written adds to the hourly sums: sqlite-jdbc and pgjdbc (without
          // reWriteBatchedInserts, which this store never sets) report each row's count.
          if (counts[i] <= 0) {
            continue;
          }
          written++;
          RequestRecord r = rows.get(i);
          if (r.costUsd() != 0) {
            long hour = Math.floorDiv(r.time().toEpochMilli(), HOUR_MS);
            if (r.keyId() != null) {
              hours.computeIfAbsent(KEY_SCOPE + r.keyId(), k -> new HashMap<>()).merge(hour, r.costUsd(), Double::sum);
            }
            if (r.teamId() != null) {
              hours.computeIfAbsent(TEAM_SCOPE + r.teamId(), k -> new HashMap<>()).merge(hour, r.costUsd(), Double::sum);
            }
          }
        }
        addSpendHours(c, hours);
        return written;
      }
    });
  }

  /** Adds the rows' spend to their keys' and teams' hourly sums, in the transaction that wrote the rows. */
  private static void addSpendHours(Connection c, Map<String, Map<Long, Double>> hours) throws SQLException {
    if (hours.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO baton_spend_hours (scope, hour, cost_usd) VALUES (?,?,?)"
        + " ON CONFLICT (scope, hour) DO UPDATE SET cost_usd = baton_spend_hours.cost_usd + excluded.cost_usd")) {
      for (Map.Entry<String, Map<Long, Double>> scope : hours.entrySet()) {
        for (Map.Entry<Long, Double> hour : scope.getValue().entrySet()) {
          ps.setString(1, scope.getKey());
          ps.setLong(2, hour.getKey());
          ps.setDouble(3, hour.getValue());
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }

  @Override
  public List<RequestRecord> requests(RequestQuery q) {
    StringBuilder sql = new StringBuilder("SELECT " + REQUEST_COLUMNS + " FROM baton_requests WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (q.keyId() != null) {
      sql.append(" AND key_id = ?");
      args.add(q.keyId());
    }
    if (q.model() != null) {
      sql.append(" AND model = ?");
      args.add(q.model());
    }
    if (q.status() != null) {
      sql.append(" AND status = ?");
      args.add(q.status());
    }
    sql.append(" ORDER BY time_ms DESC, id DESC LIMIT ?");
    args.add(q.limit());
    return query("reading the request log", sql.toString(), ps -> bind(ps, args), JdbcStore::request);
  }

  @Override
  public List<SpendRow> spend(SpendQuery q) {
    String group = switch (q.groupBy()) {
      case KEY -> "key_id";
      case TEAM -> "team_id";
      case MODEL -> "model";
      case DAY -> "time_ms / " + DAY_MS;
    };
    StringBuilder sql = new StringBuilder("SELECT " + group + " AS grp, SUM(cost_usd), COUNT(*), SUM(input_tokens), "
        + "SUM(output_tokens) FROM baton_requests WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (q.from() != null) {
      sql.append(" AND time_ms >= ?");
      args.add(q.from().toEpochMilli());
    }
    if (q.to() != null) {
      sql.append(" AND time_ms < ?");
      args.add(q.to().toEpochMilli());
    }
    sql.append(" GROUP BY grp ORDER BY ").append(q.groupBy() == SpendQuery.GroupBy.DAY ? "grp" : "SUM(cost_usd) DESC, grp");
    boolean day = q.groupBy() == SpendQuery.GroupBy.DAY;
    return query("summing spend", sql.toString(), ps -> bind(ps, args), rs -> {
      String name = day ? LocalDate.ofEpochDay(rs.getLong(1)).toString() : rs.getString(1);
      return new SpendRow(name, rs.getDouble(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
    });
  }

  @Override
  public Map<String, Double> spendByKey(Instant since) {
    return spendBy("key_id", since);
  }

  @Override
  public Map<String, Double> spendByTeam(Instant since) {
    return spendBy("team_id", since);
  }

  /**
   * Each key's or team's spend since {@code since}: the hourly sums of the hours wholly after it, and the rows
   * of the one hour it falls in, so the work does not grow with the log.
   */
  private Map<String, Double> spendBy(String column, Instant since) {
    String prefix = column.equals("team_id") ? TEAM_SCOPE : KEY_SCOPE;
    long sinceMs = since.toEpochMilli();
    long firstWholeHour = Math.floorDiv(sinceMs + HOUR_MS - 1, HOUR_MS);
    Map<String, Double> out = new HashMap<>();
    query("summing spend by " + column, "SELECT scope, SUM(cost_usd) FROM baton_spend_hours WHERE scope LIKE ?"
        + " AND hour >= ? GROUP BY scope", ps -> {
          ps.setString(1, prefix + "%");
          ps.setLong(2, firstWholeHour);
        }, rs -> {
          out.merge(rs.getString(1).substring(prefix.length()), rs.getDouble(2), Double::sum);
          return null;
        });
    if (sinceMs != firstWholeHour * HOUR_MS) {
      query("summing spend by " + column, "SELECT " + column + ", SUM(cost_usd) FROM baton_requests WHERE time_ms >= ?"
          + " AND time_ms < ? AND " + column + " IS NOT NULL GROUP BY " + column, ps -> {
            ps.setLong(1, sinceMs);
            ps.setLong(2, firstWholeHour * HOUR_MS);
          }, rs -> {
            out.merge(rs.getString(1), rs.getDouble(2), Double::sum);
            return null;
          });
    }
    return out;
  }

  @Override
  public double spendOf(String id, boolean team, Instant since) {
    String column = team ? "team_id" : "key_id";
    long sinceMs = since.toEpochMilli();
    long firstWholeHour = Math.floorDiv(sinceMs + HOUR_MS - 1, HOUR_MS);
    List<Double> hours = query("summing spend of " + id, "SELECT COALESCE(SUM(cost_usd), 0) FROM baton_spend_hours"
        + " WHERE scope = ? AND hour >= ?", ps -> {
          ps.setString(1, (team ? TEAM_SCOPE : KEY_SCOPE) + id);
          ps.setLong(2, firstWholeHour);
        }, rs -> rs.getDouble(1));
    double whole = hours.isEmpty() ? 0 : hours.get(0);
    if (sinceMs == firstWholeHour * HOUR_MS) {
      return whole;
    }
    List<Double> partial = query("summing spend of " + id, "SELECT COALESCE(SUM(cost_usd), 0) FROM baton_requests WHERE "
        + column + " = ? AND time_ms >= ? AND time_ms < ?", ps -> {
          ps.setString(1, id);
          ps.setLong(2, sinceMs);
          ps.setLong(3, firstWholeHour * HOUR_MS);
        }, rs -> rs.getDouble(1));
    return whole + (partial.isEmpty() ? 0 : partial.get(0));
  }

  // Stored responses

  @Override
  public void putResponses(List<StoredResponse> responses) {
    if (responses.isEmpty()) {
      return;
    }
    // One transaction and one batch for all of them: a commit per response costs more than the rows.
    transaction("storing " + responses.size() + " responses", c -> {
      try (PreparedStatement upsert = c.prepareStatement(
          "INSERT INTO baton_responses (id, key_id, created_at, expires_at, document) VALUES (?,?,?,?,?)"
              + " ON CONFLICT (id) DO UPDATE SET key_id = excluded.key_id, created_at = excluded.created_at,"
              + " expires_at = excluded.expires_at, document = excluded.document")) {
        for (StoredResponse r : responses) {
          upsert.setString(1, r.id());
          upsert.setString(2, r.keyId());
          upsert.setLong(3, r.createdAt().toEpochMilli());
          setInstant(upsert, 4, r.expiresAt());
          upsert.setString(5, r.document());
          upsert.addBatch();
        }
        upsert.executeBatch();
      }
      return null;
    });
  }

  @Override
  public Optional<StoredResponse> response(String id, Instant now) {
    return query("reading response " + id, "SELECT id, key_id, created_at, expires_at, document FROM baton_responses "
        + "WHERE id = ? AND (expires_at IS NULL OR expires_at > ?)", ps -> {
          ps.setString(1, id);
          ps.setLong(2, now.toEpochMilli());
        }, rs -> new StoredResponse(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
            instant(rs, 4), rs.getString(5))).stream().findFirst();
  }

  @Override
  public boolean deleteResponse(String id) {
    return update("deleting response " + id, "DELETE FROM baton_responses WHERE id = ?", ps -> ps.setString(1, id)) == 1;
  }

  @Override
  public int purgeResponses(Instant now) {
    return update("deleting expired responses", "DELETE FROM baton_responses WHERE expires_at IS NOT NULL AND expires_at <= ?",
        ps -> ps.setLong(1, now.toEpochMilli()));
  }

  @Override
  public void close() {
    pool.close();
  }

  // Plumbing

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private interface RowReader<T> {
    @Nullable T read(ResultSet rs) throws SQLException;
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private int update(String what, String sql, Binder binder) {
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private <T> List<T> query(String what, String sql, Binder binder, RowReader<T> reader) {
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      List<T> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          T row = reader.read(rs);
          if (row != null) {
            out.add(row);
          }
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private <T> T transaction(String what, Work<T> work) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private StoreException failure(String what, SQLException e) {
    String message = "database: " + what + " failed on " + target.description() + ": " + rootMessage(e);
    return unreachable(e) ? new DatabaseUnavailableException(message, e) : new StoreException(message, e);
  }

  /** Whether a failure means the database is away (rather than that the statement was wrong). */
  private static boolean unreachable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException || t instanceof java.net.SocketException
          || t instanceof java.io.EOFException) {
        return true;
      }
      if (t instanceof SQLException s && s.getSQLState() != null
          && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P"))) {
        return true;
      }
      if (t instanceof SQLException s && s.getMessage() != null
          && (s.getMessage().contains("SQLITE_BUSY") || s.getMessage().contains("SQLITE_LOCKED")
              || s.getMessage().contains("SQLITE_CANTOPEN") || s.getMessage().contains("SQLITE_IOERR")
              || s.getMessage().contains("SQLITE_FULL"))) {
        return true;
      }
    }
    return false;
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof java.net.UnknownHostException) {
      return "unknown host " + root.getMessage();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.lines().findFirst().orElse(message).strip();
  }

  private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      ps.setObject(i + 1, args.get(i));
    }
  }

  private static int setLimits(PreparedStatement ps, int start, Limits l) throws SQLException {
    int i = start;
    ps.setString(i++, json(l.models()));
    setLong(ps, i++, l.rpm());
    setLong(ps, i++, l.tpm());
    if (l.maxBudgetUsd() == null) {
      ps.setNull(i++, Types.DOUBLE);
    } else {
      ps.setDouble(i++, l.maxBudgetUsd());
    }
    ps.setString(i++, l.budgetDuration() == null ? null : l.budgetDuration().text());
    return i;
  }

  private static void setLong(PreparedStatement ps, int i, @Nullable Long value) throws SQLException {
    if (value == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, value);
    }
  }

  private static void setInstant(PreparedStatement ps, int i, @Nullable Instant value) throws SQLException {
    setLong(ps, i, value == null ? null : value.toEpochMilli());
  }

  private static @Nullable Long nullableLong(ResultSet rs, int i) throws SQLException {
    long v = rs.getLong(i);
    return rs.wasNull() ? null : v;
  }

  private static @Nullable Instant instant(ResultSet rs, int i) throws SQLException {
    Long v = nullableLong(rs, i);
    return v == null ? null : Instant.ofEpochMilli(v);
  }

  private static Limits limits(ResultSet rs, int start) throws SQLException {
    List<String> models = fromJson(rs.getString(start), new TypeReference<List<String>>() {});
    Long rpm = nullableLong(rs, start + 1);
    Long tpm = nullableLong(rs, start + 2);
    double budget = rs.getDouble(start + 3);
    Double maxBudget = rs.wasNull() ? null : budget;
    String duration = rs.getString(start + 4);
    return new Limits(models, rpm, tpm, maxBudget, duration == null ? null : BudgetPeriod.parse(duration));
  }

  private static Team team(ResultSet rs) throws SQLException {
    return new Team(rs.getString(1), rs.getString(2), limits(rs, 3), metadata(rs.getString(8)), rs.getBoolean(9),
        Instant.ofEpochMilli(rs.getLong(10)), Instant.ofEpochMilli(rs.getLong(11)));
  }

  private static ApiKey key(ResultSet rs) throws SQLException {
    return new ApiKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        limits(rs, 6), metadata(rs.getString(11)), rs.getBoolean(12), instant(rs, 13),
        Instant.ofEpochMilli(rs.getLong(14)), Instant.ofEpochMilli(rs.getLong(15)), instant(rs, 16));
  }

  private static RequestRecord request(ResultSet rs) throws SQLException {
    return new RequestRecord(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
        rs.getString(5), rs.getString(6), rs.getString(7),
        fromJson(rs.getString(8), new TypeReference<List<AttemptRecord>>() {}), rs.getLong(9), rs.getLong(10),
        rs.getDouble(11), rs.getLong(12), rs.getInt(13), rs.getString(14), rs.getString(15), rs.getString(16),
        rs.getString(17), rs.getString(18));
  }

  private static Map<String, Object> metadata(String json) {
    Map<String, Object> map = fromJson(json, new TypeReference<LinkedHashMap<String, Object>>() {});
    return map == null ? Map.of() : map;
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static <T> T fromJson(String json, TypeReference<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new StoreException("database: a stored JSON value cannot be read: " + e.getOriginalMessage(), e);
    }
  }
}
