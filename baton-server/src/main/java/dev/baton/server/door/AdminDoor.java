package dev.baton.server.door;

import dev.baton.config.Secret;
import dev.baton.server.pipeline.Auth;
import dev.baton.server.pipeline.Caller;
import dev.baton.server.pipeline.Endpoint;
import dev.baton.server.pipeline.ErrorShape;
import dev.baton.server.pipeline.Exchange;
import dev.baton.server.pipeline.HttpCall;
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
 */
public final class AdminDoor implements FrontDoor, Endpoint {

  private final KeyPlatform platform;
  private final @Nullable Secret masterKey;

  public AdminDoor(KeyPlatform platform, @Nullable Secret masterKey) {
    this.platform = platform;
    this.masterKey = masterKey;
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
    return routes;
  }

  @Override
  public ErrorShape errors() {
    return OpenAiErrors.SHAPE;
  }

  @Override
  public void answer(Exchange exchange) throws IOException {
    HttpCall http = exchange.http();
    AdminResponse answer = platform.authorizeAdmin(Auth.presentedKey(http), masterKey);
    if (answer == null) {
      exchange.caller(Caller.MASTER);
      byte[] body = exchange.body();
      String query = http.rawQuery();
      answer = platform.admin().handle(http.method(), query.isEmpty() ? http.path() : http.path() + "?" + query,
          body.length == 0 ? null : new String(body, StandardCharsets.UTF_8));
    }
    http.status(answer.status());
    Answers.send(http, answer.body().getBytes(StandardCharsets.UTF_8));
  }
}
