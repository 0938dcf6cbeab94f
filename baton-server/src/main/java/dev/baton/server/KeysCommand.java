package dev.baton.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/**
 * {@code baton keys create|list|revoke}: virtual keys through a running gateway's admin API, with the
 * master key from {@code BATON_MASTER_KEY} (or {@code --master-key}). Exit codes: 0 done, 1 the gateway
 * could not be reached or refused, 2 the request was bad (the gateway's 400 names the field).
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "Create, list and revoke virtual keys through a running gateway's admin API.",
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:BATON_URL:-http://127.0.0.1:4000}",
      description = "The gateway (default: $BATON_URL or http://127.0.0.1:4000).")
  String url;

  @Option(names = "--master-key", paramLabel = "KEY", defaultValue = "${env:BATON_MASTER_KEY}",
      description = "The gateway's master key (default: $BATON_MASTER_KEY).")
  String masterKey;

  /** {@code baton keys create --name N [--team ID] [--model M]... [--budget USD] ...}: prints the secret once. */
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key; its secret is printed once.")
  static final class Create implements Callable<Integer> {
    @ParentCommand
    KeysCommand keys;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "What the key is for.")
    String name;

    @Option(names = "--team", paramLabel = "TEAM_ID", description = "The team whose limits also apply.")
    String team;

    @Option(names = "--model", paramLabel = "NAME", description = "A public model name it may use; repeatable.")
    List<String> models = new ArrayList<>();

    @Option(names = "--budget", paramLabel = "USD", description = "The most it may spend, in USD.")
    Double budget;

    @Option(names = "--budget-duration", paramLabel = "PERIOD", description = "The budget restarts every 1h, 1d, 30d, ...")
    String budgetDuration;

    @Option(names = "--rpm", paramLabel = "N", description = "Requests per minute.")
    Long rpm;

    @Option(names = "--tpm", paramLabel = "N", description = "Tokens per minute.")
    Long tpm;

    @Option(names = "--expires-in", paramLabel = "SPAN", description = "It stops working after 12h, 7d, 2w, ...")
    String expiresIn;

    @Override
    public Integer call() {
      ObjectNode body = JSON.createObjectNode().put("name", name);
      if (team != null) {
        body.put("team_id", team);
      }
      if (!models.isEmpty()) {
        models.forEach(body.putArray("models")::add);
      }
      if (budget != null) {
        body.put("max_budget_usd", budget);
      }
      if (budgetDuration != null) {
        body.put("budget_duration", budgetDuration);
      }
      if (rpm != null) {
        body.put("rpm", rpm);
      }
      if (tpm != null) {
        body.put("tpm", tpm);
      }
      if (expiresIn != null) {
        body.put("expires_in", expiresIn);
      }
      return keys.call("POST", "/admin/keys", body.toString(), created -> {
        System.out.println(created.path("key").asText());
        System.err.println("created key " + created.path("id").asText() + " '" + created.path("name").asText()
            + "': the secret above is shown only once, keep it now");
      });
    }
  }

  /** {@code baton keys list}: one line per key, never a secret. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the keys (never their secrets).")
  static final class ListKeys implements Callable<Integer> {
    @ParentCommand
    KeysCommand keys;

    @Override
    public Integer call() {
      return keys.call("GET", "/admin/keys", null, list -> {
        PrintStream out = System.out;
        String format = "%-38s %-20s %-14s %-38s %-16s %-12s %-12s %s%n";
        out.printf(format, "ID", "NAME", "PREFIX", "TEAM", "MODELS", "BUDGET", "SPEND", "RPM");
        for (JsonNode k : list.path("data")) {
          List<String> models = new ArrayList<>();
          k.path("models").forEach(m -> models.add(m.asText()));
          out.printf(format, k.path("id").asText(), k.path("name").asText(), k.path("key_prefix").asText(),
              orDash(k.path("team_id")), models.isEmpty() ? "all" : String.join(",", models),
              k.path("max_budget_usd").isNull() ? "-" : usd(k.path("max_budget_usd").asDouble())
                  + (k.path("budget_duration").isNull() ? "" : "/" + k.path("budget_duration").asText()),
              usd(k.path("spend_usd").asDouble()), orDash(k.path("rpm")));
        }
      });
    }
  }

  /** {@code baton keys revoke ID}: the key stops working at once. */
  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key: it stops working at once.")
  static final class Revoke implements Callable<Integer> {
    @ParentCommand
    KeysCommand keys;

    @Parameters(paramLabel = "KEY_ID", description = "The key's id (key_...), as keys list shows it.")
    String id;

    @Override
    public Integer call() {
      return keys.call("DELETE", "/admin/keys/" + id, null, revoked -> System.out.println("revoked " + id));
    }
  }

  interface Answer {
    void print(JsonNode body);
  }

  /** Calls the admin API and prints its answer, or the gateway's error, and gives the exit code. */
  int call(String method, String path, String body, Answer answer) {
    if (masterKey == null || masterKey.isBlank()) {
      System.err.println("baton: the admin API needs the master key: set BATON_MASTER_KEY or pass --master-key");
      return Main.BAD_INPUT;
    }
    URI target;
    try {
      target = URI.create(url.replaceAll("/+$", "") + path);
    } catch (IllegalArgumentException e) {
      System.err.println("baton: --url is not a valid address: " + url);
      return Main.BAD_INPUT;
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + masterKey)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response;
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build()) {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException e) {
      System.err.println("baton: cannot reach the gateway at " + url + " (is it running? set --url or BATON_URL)");
      return Main.FAILED;
    } catch (IOException e) {
      System.err.println("baton: the gateway at " + url + " failed: " + e.getMessage());
      return Main.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Main.FAILED;
    }
    JsonNode json;
    try {
      json = JSON.readTree(response.body());
    } catch (IOException e) {
      json = null;
    }
    if (response.statusCode() / 100 == 2 && json != null) {
      answer.print(json);
      return 0;
    }
    String message = json != null && json.path("error").path("message").isTextual()
        ? json.path("error").path("message").asText() : "HTTP " + response.statusCode();
    System.err.println("baton: " + message);
    return response.statusCode() == 400 ? Main.BAD_INPUT : Main.FAILED;
  }

  private static String orDash(JsonNode v) {
    return v.isMissingNode() || v.isNull() ? "-" : v.asText();
  }

  private static String usd(double v) {
    return String.format(Locale.ROOT, "$%.2f", v);
  }
}
