package dev.baton.server.door;

import dev.baton.config.Secret;
import dev.baton.server.pipeline.Auth;
import dev.baton.server.pipeline.Caller;
import dev.baton.server.pipeline.Endpoint;
import dev.baton.server.pipeline.ErrorShape;
import dev.baton.server.pipeline.Exchange;
import dev.baton.server.pipeline.HttpCall;
import dev.baton.server.ui.Dashboard;
import dev.baton.server.ui.Sessions;
import dev.baton.store.KeyPlatform;
import dev.baton.store.admin.AdminResponse;
import io.helidon.http.Method;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code /admin}: teams, virtual keys, spend and the request log (contract section 7), for the master key
 * only — a virtual key gets 403, no key or a wrong one 401. The routes' logic, JSON and every 400 naming
 * its field are {@link dev.baton.store.admin.AdminApi}'s; this door checks the key, hands it the method,
 * path, query and body, and sends what it answers. A change takes effect on this instance before the
 * answer is sent.
 *
 * <p>The admin UI calls the same routes with its sign-in session instead of the key ({@link Sessions}: a
 * change needs the session's CSRF token), and the live routes the UI needs beyond section 7 —
 * {@code /admin/stats}, {@code /admin/deployments}, {@code /admin/events} — are its {@link Dashboard}'s.
 * A request that carries a key is judged by the key alone.
 */
public final class AdminDoor implements FrontDoor, Endpoint {

  private final KeyPlatform platform;
  private final @Nullable Secret masterKey;
  private final @Nullable Sessions sessions;
  private final @Nullable Dashboard dashboard;

  /** The admin API for the master key alone. */
  public AdminDoor(KeyPlatform platform, @Nullable Secret masterKey) {
    this(platform, masterKey, null, null);
  }

  /**
   * @param sessions the admin UI's sign-in sessions, also let in; null for the key alone
   * @param dashboard answers the UI's live routes; null to serve none
   */
  public AdminDoor(KeyPlatform platform, @Nullable Secret masterKey, @Nullable Sessions sessions,
      @Nullable Dashboard dashboard) {
    this.platform = platform;
    this.masterKey = masterKey;
    this.sessions = sessions;
    this.dashboard = dashboard;
  }

  @Override
  public List<Route> routes() {
    List<Route> routes = new ArrayList<>();
    for (String collection : List.of("/admin/teams", "/admin/keys")) {
      routes.add(new Route(Method.GET, collection, this));
      routes.add(new Route(Method.POST, collection, this));
      routes.add(new Route(Method.GET, collection + "/{id}", this));
      routes.add(new Route(Method.PATCH, collection + "/{id}", this));
      routes.add(new Route(Method.DELETE, collection + "/{id}", this));
    }
    routes.add(new Route(Method.GET, "/admin/spend", this));
    routes.add(new Route(Method.GET, "/admin/requests", this));
    if (dashboard != null) {
      Dashboard.routes().forEach(path -> routes.add(new Route(Method.GET, path, this)));
    }
    return routes;
  }

  @Override
  public ErrorShape errors() {
    return OpenAiErrors.SHAPE;
  }

  @Override
  public void answer(Exchange exchange) throws IOException {
    HttpCall http = exchange.http();
    AdminResponse answer = authorize(http);
    if (answer == null) {
      exchange.caller(Caller.MASTER);
      if (dashboard != null && Dashboard.routes().contains(exchange.route())) {
        dashboard.answer(exchange);
        return;
      }
      byte[] body = exchange.body();
      String query = http.rawQuery();
      answer = platform.admin().handle(http.method(), query.isEmpty() ? http.path() : http.path() + "?" + query,
          body.length == 0 ? null : new String(body, StandardCharsets.UTF_8));
    }
    http.status(answer.status());
    Answers.send(http, answer.body().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Null when the caller may go on — the master key, or a live UI session (with its CSRF token for a
   * change) — else the refusal to send. A request that carries a key is judged by the key alone.
   */
  private @Nullable AdminResponse authorize(HttpCall http) {
    String key = Auth.presentedKey(http);
    if (key != null || sessions == null || !Sessions.carriesCookie(http)) {
      return platform.authorizeAdmin(key, masterKey);
    }
    sessions.authorize(http);
    return null;
  }
}
