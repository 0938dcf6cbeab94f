package dev.baton.store.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.config.Secret;
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
import dev.baton.store.Team;
import dev.baton.store.keys.Authentication;
import dev.baton.store.keys.KeyContext;
import dev.baton.store.keys.Secrets;
import dev.baton.store.keys.VirtualKeys;
import dev.baton.store.limits.Enforcer;
import dev.baton.store.spend.SpendLog;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /admin} API of contract section 7, independent of any HTTP server: {@link #handle} takes a
 * method, a target and a body and gives a status and JSON. Mount it by checking {@link #authorize} and
 * passing everything under {@code /admin} to {@link #handle}.
 *
 * <p>Every bad input is a 400 whose message names the field: a wrong type, a negative number, an unknown
 * field or query parameter, an unknown {@code team_id}, a model that is not served, JSON that does not
 * parse, a bad period, duration or date. A change takes effect on this instance before the answer is
 * sent. While the database is away, reads and writes answer 503 ({@code database_unavailable}).
 */
public final class AdminApi {

  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  private static final int MAX_NAME = 200;
  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 1000;
  private static final Set<String> TEAM_FIELDS = fields("name", "models", "max_budget_usd", "budget_duration", "rpm",
      "tpm", "metadata", "blocked");
  private static final Set<String> KEY_FIELDS = fields("name", "team_id", "models", "max_budget_usd", "budget_duration",
      "rpm", "tpm", "expires_in", "expires_at", "metadata", "blocked");
  private static final Set<String> SPEND_PARAMS = fields("group_by", "from", "to");
  private static final Set<String> REQUEST_PARAMS = fields("limit", "key_id", "model", "status");

  private final Store store;
  private final VirtualKeys keys;
  private final Enforcer enforcer;
  private final SpendLog spendLog;
  private final Clock clock;
  private final Supplier<List<String>> servedModels;

  /**
   * @param servedModels the public model names the gateway serves: a key's or team's {@code models} must
   *     name some of them (an empty list accepts any name)
   */
  public AdminApi(Store store, VirtualKeys keys, Enforcer enforcer, SpendLog spendLog, Clock clock,
      Supplier<List<String>> servedModels) {
    this.store = store;
    this.keys = keys;
    this.enforcer = enforcer;
    this.spendLog = spendLog;
    this.clock = clock;
    this.servedModels = servedModels;
  }

  /**
   * Who may call the admin API: only the master key. Null when {@code bearer} is the master key; otherwise
   * the answer to send — 401 without a key or with an unknown one, 403 for a virtual key, 403 when no master
   * key is configured (an open gateway has no administrator).
   */
  public static @Nullable AdminResponse authorize(@Nullable String bearer, @Nullable Secret masterKey, VirtualKeys keys) {
    if (masterKey == null || masterKey.isEmpty()) {
      return error(403, "permission_error", "admin_disabled",
          "The admin API needs a master key: set server.master_key.", null);
    }
    if (bearer == null || bearer.isBlank()) {
      return error(401, "invalid_request_error", "missing_api_key",
          "The admin API needs the master key: send Authorization: Bearer <master_key>.", null);
    }
    if (MessageDigest.isEqual(bearer.getBytes(StandardCharsets.UTF_8), masterKey.reveal().getBytes(StandardCharsets.UTF_8))) {
      return null;
    }
    if (keys.authenticate(bearer) instanceof Authentication.Accepted) {
      return error(403, "permission_error", "admin_only", "Virtual keys may not call the admin API; use the master key.",
          null);
    }
    return error(401, "invalid_request_error", "invalid_api_key", "Invalid API key for the admin API.", null);
  }

  /** Answers a request already authorized as the master key's. */
  public AdminResponse handle(String method, String target, @Nullable String body) {
    try {
      return route(AdminRequest.of(method.toUpperCase(Locale.ROOT), target, body));
    } catch (BadInput e) {
      return error(400, "invalid_request_error", "invalid_field", e.getMessage(), e.param());
    } catch (DatabaseUnavailableException e) {
      return error(503, "api_error", "database_unavailable",
          "The database is unavailable; the admin API works again when it is back.", null);
    } catch (StoreException e) {
      LOG.error("admin request {} {} failed: {}", method, target, e.getMessage());
      return error(500, "api_error", "database_error", "The database failed the request: " + e.getMessage(), null);
    }
  }

  private AdminResponse route(AdminRequest r) {
    String[] parts = r.path().replaceAll("/+$", "").split("/");
    // "", "admin", collection, id?
    if (parts.length < 3 || !parts[1].equals("admin") || parts.length > 4) {
      return notFound("no admin route " + r.path());
    }
    String collection = parts[2];
    String id = parts.length == 4 ? parts[3] : null;
    return switch (collection) {
      case "teams" -> id == null
          ? switch (r.method()) {
            case "GET" -> listTeams(r);
            case "POST" -> createTeam(r);
            default -> notAllowed(r, "GET, POST");
          }
          : switch (r.method()) {
            case "GET" -> getTeam(r, id);
            case "PATCH" -> patchTeam(r, id);
            case "DELETE" -> deleteTeam(r, id);
            default -> notAllowed(r, "GET, PATCH, DELETE");
          };
      case "keys" -> id == null
          ? switch (r.method()) {
            case "GET" -> listKeys(r);
            case "POST" -> createKey(r);
            default -> notAllowed(r, "GET, POST");
          }
          : switch (r.method()) {
            case "GET" -> getKey(r, id);
            case "PATCH" -> patchKey(r, id);
            case "DELETE" -> revokeKey(r, id);
            default -> notAllowed(r, "GET, PATCH, DELETE");
          };
      case "spend" -> id != null ? notFound("no admin route " + r.path())
          : r.method().equals("GET") ? spend(r) : notAllowed(r, "GET");
      case "requests" -> id != null ? notFound("no admin route " + r.path())
          : r.method().equals("GET") ? requests(r) : notAllowed(r, "GET");
      default -> notFound("no admin route " + r.path());
    };
  }

  // Teams

  private AdminResponse listTeams(AdminRequest r) {
    noParams(r);
    return ok(200, list(store.teams(), this::teamJson));
  }

  private AdminResponse getTeam(AdminRequest r, String id) {
    noParams(r);
    return store.team(id).map(t -> ok(200, teamJson(t))).orElseGet(() -> notFound("no team '" + id + "'"));
  }

  private AdminResponse createTeam(AdminRequest r) {
    noParams(r);
    JsonBody body = JsonBody.parse(r.body(), TEAM_FIELDS);
    String name = requiredName(body);
    Limits limits = limits(body, Limits.NONE);
    checkModels(limits.models(), null);
    Instant now = clock.instant();
    Map<String, Object> metadata = body.object("metadata");
    Boolean blocked = body.bool("blocked");
    Team team = new Team(Secrets.newId("team_"), name, limits, metadata == null ? Map.of() : metadata,
        blocked != null && blocked, now, now);
    store.insertTeam(team);
    keys.putTeam(team);
    return ok(201, teamJson(team));
  }

  private AdminResponse patchTeam(AdminRequest r, String id) {
    noParams(r);
    JsonBody body = JsonBody.parse(r.body(), TEAM_FIELDS);
    Optional<Team> found = store.team(id);
    if (found.isEmpty()) {
      return notFound("no team '" + id + "'");
    }
    Team old = found.get();
    String name = body.has("name") ? requiredName(body) : old.name();
    Limits limits = limits(body, old.limits());
    checkModels(limits.models(), null);
    Map<String, Object> metadata = body.has("metadata") ? orEmpty(body.object("metadata")) : old.metadata();
    boolean blocked = body.has("blocked") ? Boolean.TRUE.equals(body.bool("blocked")) : old.blocked();
    Team team = new Team(id, name, limits, metadata, blocked, old.createdAt(), clock.instant());
    if (!store.updateTeam(team)) {
      return notFound("no team '" + id + "'");
    }
    keys.putTeam(team);
    if (budgetChanged(old.limits(), limits)) {
      spendLog.flush();
      enforcer.seed(store, List.of(), List.of(team));
    }
    return ok(200, teamJson(team));
  }

  private AdminResponse deleteTeam(AdminRequest r, String id) {
    noParams(r);
    Optional<List<String>> revoked = store.deleteTeam(id, clock.instant());
    if (revoked.isEmpty()) {
      return notFound("no team '" + id + "'");
    }
    keys.removeTeam(id, revoked.get());
    ObjectNode out = JsonBody.JSON.createObjectNode().put("id", id).put("object", "team").put("deleted", true);
    ArrayNode ids = out.putArray("revoked_keys");
    revoked.get().forEach(ids::add);
    return ok(200, out);
  }

  // Keys

  private AdminResponse listKeys(AdminRequest r) {
    noParams(r);
    return ok(200, list(store.keys(), this::keyJson));
  }

  private AdminResponse getKey(AdminRequest r, String id) {
    noParams(r);
    return store.key(id).map(k -> ok(200, keyJson(k))).orElseGet(() -> notFound("no key '" + id + "'"));
  }

  private AdminResponse createKey(AdminRequest r) {
    noParams(r);
    JsonBody body = JsonBody.parse(r.body(), KEY_FIELDS);
    String name = requiredName(body);
    String teamId = body.string("team_id", MAX_NAME);
    Team team = teamId == null ? null : existingTeam(teamId);
    Limits limits = limits(body, Limits.NONE);
    checkModels(limits.models(), team);
    Instant now = clock.instant();
    Instant expiresAt = expiry(body, now, null);
    Map<String, Object> metadata = body.object("metadata");
    Boolean blocked = body.bool("blocked");
    String secret = Secrets.newSecret();
    ApiKey key = new ApiKey(Secrets.newId("key_"), name, Secrets.hash(secret), Secrets.displayPrefix(secret), teamId,
        limits, metadata == null ? Map.of() : metadata, blocked != null && blocked, expiresAt, now, now, null);
    store.insertKey(key);
    keys.put(key);
    ObjectNode out = keyJson(key);
    out.put("key", secret); // the only time the secret is shown
    return ok(201, out);
  }

  private AdminResponse patchKey(AdminRequest r, String id) {
    noParams(r);
    JsonBody body = JsonBody.parse(r.body(), KEY_FIELDS);
    Optional<ApiKey> found = store.key(id);
    if (found.isEmpty() || found.get().revokedAt() != null) {
      return notFound(found.isEmpty() ? "no key '" + id + "'" : "the key '" + id + "' was revoked");
    }
    ApiKey old = found.get();
    String name = body.has("name") ? requiredName(body) : old.name();
    String teamId = body.has("team_id") ? body.string("team_id", MAX_NAME) : old.teamId();
    Team team = teamId == null ? null : existingTeam(teamId);
    Limits limits = limits(body, old.limits());
    checkModels(limits.models(), team);
    Instant now = clock.instant();
    Instant expiresAt = body.has("expires_in") || body.has("expires_at") ? expiry(body, now, null) : old.expiresAt();
    Map<String, Object> metadata = body.has("metadata") ? orEmpty(body.object("metadata")) : old.metadata();
    boolean blocked = body.has("blocked") ? Boolean.TRUE.equals(body.bool("blocked")) : old.blocked();
    ApiKey key = new ApiKey(id, name, old.hash(), old.prefix(), teamId, limits, metadata, blocked, expiresAt,
        old.createdAt(), now, null);
    if (!store.updateKey(key)) {
      return notFound("no key '" + id + "'");
    }
    keys.put(key);
    if (budgetChanged(old.limits(), limits)) {
      spendLog.flush();
      enforcer.seed(store, List.of(key), List.of());
    }
    return ok(200, keyJson(key));
  }

  private AdminResponse revokeKey(AdminRequest r, String id) {
    noParams(r);
    if (!store.revokeKey(id, clock.instant())) {
      return notFound(store.key(id).isPresent() ? "the key '" + id + "' was already revoked" : "no key '" + id + "'");
    }
    keys.remove(id);
    return ok(200, JsonBody.JSON.createObjectNode().put("id", id).put("object", "key").put("revoked", true));
  }

  // Spend and requests

  private AdminResponse spend(AdminRequest r) {
    params(r, SPEND_PARAMS);
    String groupText = r.query().getOrDefault("group_by", "key");
    SpendQuery.GroupBy group;
    try {
      group = SpendQuery.GroupBy.valueOf(groupText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadInput("group_by", "group_by: must be key, team, model or day, was '" + groupText + "'");
    }
    Instant from = r.query().containsKey("from") ? boundary("from", r.query().get("from"), false) : null;
    Instant to = r.query().containsKey("to") ? boundary("to", r.query().get("to"), true) : null;
    if (from != null && to != null && !from.isBefore(to)) {
      throw new BadInput("to", "to: must be after from (" + from + "), was " + to);
    }
    SpendQuery query = new SpendQuery(group, from, to);
    List<SpendRow> rows = spendLog.readWithUnwritten(unwritten -> withUnwritten(store.spend(query), unwritten, query));
    ArrayNode data = JsonBody.JSON.createArrayNode();
    for (SpendRow row : rows) {
      data.addObject().put("group", row.group()).put("spend_usd", row.spendUsd()).put("requests", row.requests())
          .put("input_tokens", row.inputTokens()).put("output_tokens", row.outputTokens());
    }
    ObjectNode out = list(data);
    out.put("group_by", group.wireName());
    return ok(200, out);
  }

  /** The database's sums with the rows not yet written added in, ordered as the database orders them. */
  private static List<SpendRow> withUnwritten(List<SpendRow> stored, List<RequestRecord> unwritten, SpendQuery q) {
    Map<String, SpendRow> groups = new LinkedHashMap<>();
    boolean added = false;
    for (SpendRow row : stored) {
      groups.put(String.valueOf(row.group()), row);
    }
    for (RequestRecord r : unwritten) {
      if ((q.from() != null && r.time().isBefore(q.from())) || (q.to() != null && !r.time().isBefore(q.to()))) {
        continue;
      }
      String group = switch (q.groupBy()) {
        case KEY -> r.keyId();
        case TEAM -> r.teamId();
        case MODEL -> r.model();
        case DAY -> LocalDate.ofInstant(r.time(), ZoneOffset.UTC).toString();
      };
      groups.merge(String.valueOf(group), new SpendRow(group, r.costUsd(), 1, r.inputTokens(), r.outputTokens()),
          (a, b) -> new SpendRow(a.group(), a.spendUsd() + b.spendUsd(), a.requests() + b.requests(),
              a.inputTokens() + b.inputTokens(), a.outputTokens() + b.outputTokens()));
      added = true;
    }
    if (!added) {
      return stored;
    }
    Comparator<SpendRow> byGroup = Comparator.comparing(SpendRow::group, Comparator.nullsFirst(Comparator.naturalOrder()));
    return groups.values().stream()
        .sorted(q.groupBy() == SpendQuery.GroupBy.DAY ? byGroup
            : Comparator.comparingDouble(SpendRow::spendUsd).reversed().thenComparing(byGroup))
        .toList();
  }

  /** {@code from}: a day's start or a moment; {@code to}: a day counts whole (up to the next day's start). */
  private static Instant boundary(String param, String text, boolean end) {
    if (text.isBlank()) {
      throw new BadInput(param, param + ": must not be empty");
    }
    try {
      LocalDate day = LocalDate.parse(text);
      return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException notADay) {
      return JsonBody.moment(param, text);
    }
  }

  private AdminResponse requests(AdminRequest r) {
    params(r, REQUEST_PARAMS);
    int limit = DEFAULT_LIMIT;
    if (r.query().containsKey("limit")) {
      limit = (int) wholeNumber("limit", r.query().get("limit"), 1, MAX_LIMIT);
    }
    Integer status = r.query().containsKey("status")
        ? (int) wholeNumber("status", r.query().get("status"), 100, 599) : null;
    String keyId = nonEmptyParam(r, "key_id");
    String model = nonEmptyParam(r, "model");
    RequestQuery query = new RequestQuery(limit, keyId, model, status);
    // What the log's writer has not written yet is listed too, so a request answered a moment ago is there
    // at once, here as in /admin/spend.
    List<RequestRecord> rows = spendLog.readWithUnwritten(
        unwritten -> newestFirst(unwritten, store.requests(query), query));
    return ok(200, list(rows, AdminApi::requestJson));
  }

  private static List<RequestRecord> newestFirst(List<RequestRecord> unwritten, List<RequestRecord> stored,
      RequestQuery query) {
    if (unwritten.isEmpty()) {
      return stored;
    }
    Map<String, RequestRecord> byId = new LinkedHashMap<>();
    for (RequestRecord row : unwritten) {
      if (query.matches(row)) {
        byId.put(row.id(), row);
      }
    }
    for (RequestRecord row : stored) {
      byId.putIfAbsent(row.id(), row);
    }
    return byId.values().stream()
        .sorted(Comparator.comparing(RequestRecord::time).thenComparing(RequestRecord::id).reversed())
        .limit(query.limit())
        .toList();
  }

  private static long wholeNumber(String param, String text, long min, long max) {
    long n;
    try {
      n = Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw new BadInput(param, param + ": must be a whole number, was '" + text + "'");
    }
    if (n < min || n > max) {
      throw new BadInput(param, param + ": must be between " + min + " and " + max + ", was " + n);
    }
    return n;
  }

  private static @Nullable String nonEmptyParam(AdminRequest r, String param) {
    String v = r.query().get(param);
    if (v != null && v.isBlank()) {
      throw new BadInput(param, param + ": must not be empty");
    }
    return v;
  }

  // Reading fields

  private static String requiredName(JsonBody body) {
    String name = body.string("name", MAX_NAME);
    if (name == null) {
      throw new BadInput("name", "name: is required (a non-empty string)");
    }
    return name;
  }

  /** The limits a body sets, on top of {@code base} (a PATCH keeps what it does not mention). */
  private static Limits limits(JsonBody body, Limits base) {
    List<String> models = body.has("models") ? orEmpty(body.names("models")) : base.models();
    Long rpm = body.has("rpm") ? body.count("rpm") : base.rpm();
    Long tpm = body.has("tpm") ? body.count("tpm") : base.tpm();
    Double budget = body.has("max_budget_usd") ? body.usd("max_budget_usd") : base.maxBudgetUsd();
    BudgetPeriod period = body.has("budget_duration") ? body.period("budget_duration") : base.budgetDuration();
    return new Limits(models, rpm, tpm, budget, period);
  }

  private @Nullable Instant expiry(JsonBody body, Instant now, @Nullable Instant fallback) {
    if (body.has("expires_in") && body.has("expires_at")) {
      throw new BadInput("expires_in", "expires_in: give expires_in or expires_at, not both");
    }
    if (body.has("expires_in")) {
      Duration in = body.span("expires_in");
      return in == null ? null : now.plus(in);
    }
    if (body.has("expires_at")) {
      Instant at = body.moment("expires_at");
      if (at != null && !at.isAfter(now)) {
        throw new BadInput("expires_at", "expires_at: must be in the future, was " + at);
      }
      return at;
    }
    return fallback;
  }

  private Team existingTeam(String teamId) {
    return store.team(teamId).orElseThrow(() -> new BadInput("team_id", "team_id: no team '" + teamId + "'"));
  }

  /** Each model must be served, and a team's key may only name models its team allows. */
  private void checkModels(List<String> models, @Nullable Team team) {
    List<String> served = servedModels.get();
    for (int i = 0; i < models.size(); i++) {
      String m = models.get(i);
      if (!served.isEmpty() && !served.contains(m)) {
        throw new BadInput("models", "models[" + i + "]: no model '" + m + "' is served; served: "
            + String.join(", ", served));
      }
      if (team != null && !team.limits().models().isEmpty() && !team.limits().models().contains(m)) {
        throw new BadInput("models", "models[" + i + "]: '" + m + "' is not allowed for team '" + team.name() + "' ("
            + team.id() + "), which allows: " + String.join(", ", team.limits().models()));
      }
    }
  }

  private static void noParams(AdminRequest r) {
    params(r, Set.of());
  }

  private static void params(AdminRequest r, Set<String> allowed) {
    for (String name : r.query().keySet()) {
      if (!allowed.contains(name)) {
        throw new BadInput(name, "unknown query parameter '" + name + "'"
            + (allowed.isEmpty() ? "; this route takes none" : "; known: " + String.join(", ", allowed)));
      }
    }
  }

  private static boolean budgetChanged(Limits a, Limits b) {
    return !java.util.Objects.equals(a.maxBudgetUsd(), b.maxBudgetUsd())
        || !java.util.Objects.equals(a.budgetDuration(), b.budgetDuration());
  }

  // Writing answers

  private ObjectNode teamJson(Team t) {
    ObjectNode o = JsonBody.JSON.createObjectNode().put("id", t.id()).put("object", "team").put("name", t.name());
    limitsJson(o, t.limits());
    o.set("metadata", JsonBody.JSON.valueToTree(t.metadata()));
    o.put("blocked", t.blocked());
    o.put("spend_usd", enforcer.spendUsd(t));
    o.put("budget_resets_at", text(enforcer.resetsAt(t.limits(), t.createdAt())));
    o.put("created_at", t.createdAt().toString());
    o.put("updated_at", t.updatedAt().toString());
    return o;
  }

  private ObjectNode keyJson(ApiKey k) {
    ObjectNode o = JsonBody.JSON.createObjectNode().put("id", k.id()).put("object", "key").put("name", k.name())
        .put("key_prefix", k.prefix()).put("team_id", k.teamId());
    limitsJson(o, k.limits());
    o.set("metadata", JsonBody.JSON.valueToTree(k.metadata()));
    o.put("blocked", k.blocked());
    o.put("expires_at", text(k.expiresAt()));
    o.put("spend_usd", enforcer.spendUsd(k));
    o.put("budget_resets_at", text(enforcer.resetsAt(k.limits(), k.createdAt())));
    o.put("created_at", k.createdAt().toString());
    o.put("updated_at", k.updatedAt().toString());
    o.put("revoked_at", text(k.revokedAt()));
    if (k.revokedAt() == null) {
      Optional<KeyContext> cached = keys.byId(k.id());
      if (cached.isPresent() && cached.get().team() != null) {
        ObjectNode effective = o.putObject("effective_limits");
        limitsJson(effective, cached.get().effectiveLimits());
      }
    }
    return o;
  }

  private static void limitsJson(ObjectNode o, Limits l) {
    ArrayNode models = o.putArray("models");
    l.models().forEach(models::add);
    o.put("max_budget_usd", l.maxBudgetUsd());
    o.put("budget_duration", l.budgetDuration() == null ? null : l.budgetDuration().text());
    o.put("rpm", l.rpm());
    o.put("tpm", l.tpm());
  }

  /** A request-log row as {@code GET /admin/requests} lists it (also the admin UI's live feed). */
  public static ObjectNode requestJson(RequestRecord r) {
    ObjectNode o = JsonBody.JSON.createObjectNode().put("id", r.id()).put("time", r.time().truncatedTo(ChronoUnit.MILLIS).toString())
        .put("key_id", r.keyId()).put("team_id", r.teamId()).put("route", r.route()).put("model", r.model())
        .put("answered_by", r.answeredBy()).put("status", r.status());
    ArrayNode attempts = o.putArray("attempts");
    for (AttemptRecord a : r.attempts()) {
      attempts.addObject().put("deployment", a.deployment()).put("outcome", a.outcome()).put("reason", a.reason())
          .put("latency_ms", a.latencyMs());
    }
    o.put("input_tokens", r.inputTokens()).put("output_tokens", r.outputTokens()).put("cost_usd", r.costUsd())
        .put("latency_ms", r.latencyMs()).put("cache", r.cache()).put("request_id", r.requestId())
        .put("error", r.error());
    if (r.prompt() != null || r.answer() != null) {
      o.put("prompt", r.prompt()).put("answer", r.answer());
    }
    return o;
  }

  private static @Nullable String text(@Nullable Instant t) {
    return t == null ? null : t.toString();
  }

  private static <T> ObjectNode list(List<T> items, Function<T, ObjectNode> json) {
    ArrayNode data = JsonBody.JSON.createArrayNode();
    for (T item : items) {
      data.add(json.apply(item));
    }
    return list(data);
  }

  private static ObjectNode list(ArrayNode data) {
    ObjectNode o = JsonBody.JSON.createObjectNode().put("object", "list");
    o.set("data", data);
    return o;
  }

  private static AdminResponse ok(int status, ObjectNode body) {
    try {
      return new AdminResponse(status, JsonBody.JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an admin answer cannot be written as JSON", e);
    }
  }

  private static AdminResponse notFound(String message) {
    return error(404, "invalid_request_error", "not_found", message, null);
  }

  private static AdminResponse notAllowed(AdminRequest r, String allowed) {
    return error(405, "invalid_request_error", "method_not_allowed",
        r.method() + " is not allowed on " + r.path() + "; allowed: " + allowed, null);
  }

  static AdminResponse error(int status, String type, String code, String message, @Nullable String param) {
    ObjectNode o = JsonBody.JSON.createObjectNode();
    o.putObject("error").put("message", message).put("type", type).put("param", param).put("code", code);
    return ok(status, o);
  }

  private static <T> List<T> orEmpty(@Nullable List<T> list) {
    return list == null ? List.of() : list;
  }

  private static Map<String, Object> orEmpty(@Nullable Map<String, Object> map) {
    return map == null ? Map.of() : map;
  }

  private static Set<String> fields(String... names) {
    return new LinkedHashSet<>(List.of(names));
  }
}
