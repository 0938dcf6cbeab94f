package dev.baton.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The machine's own headless Chromium, driven by its chromedriver through Selenium: the Debian packages
 * {@code chromium} and {@code chromium-driver} ({@code .ci/run} installs them). A missing browser fails
 * the test with what to install — it never skips. Nothing is downloaded: the driver and the browser are
 * named, so Selenium Manager is never asked, and the browser's own background traffic is switched off
 * (the machine's network is closed, and the tests check that the page fetches nothing from elsewhere).
 *
 * <p>The browser's console and its network requests are kept (Chrome's {@code browser} and
 * {@code performance} logs), for the tests to read with {@link #consoleErrors()} and
 * {@link #requests()}.
 */
final class Chromium implements AutoCloseable {

  final ChromeDriver driver;
  private final Path profile;
  private final List<Request> requests = new ArrayList<>();

  private Chromium(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  static Chromium start() {
    Path browser = executable("BATON_CHROMIUM", "/usr/bin/chromium", "/usr/bin/chromium-browser");
    Path chromedriver = executable("BATON_CHROMEDRIVER", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    Path profile;
    try {
      profile = Files.createTempDirectory("baton-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-default-apps", "--disable-extensions", "--user-data-dir=" + profile,
        "--window-size=1360,900", "--force-device-scale-factor=1", "--lang=en-US");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    logs.enable(LogType.PERFORMANCE, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver.toFile())
        .usingAnyFreePort()
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    return new Chromium(driver, profile);
  }

  private static Path executable(String variable, String... candidates) {
    String configured = System.getenv(variable);
    List<String> tried = new ArrayList<>();
    if (configured != null && !configured.isBlank()) {
      tried.add(configured);
    }
    tried.addAll(List.of(candidates));
    for (String candidate : tried) {
      Path path = Path.of(candidate);
      if (Files.isExecutable(path)) {
        return path;
      }
    }
    throw new AssertionError("The admin UI's browser tests need Chromium and its driver: apt-get install chromium "
        + "chromium-driver (.ci/run does), or set " + variable + "; looked for " + String.join(", ", tried));
  }

  /** The console's errors and warnings since the last call ("SEVERE"/"WARNING" entries). */
  List<String> consoleErrors() {
    List<String> errors = new ArrayList<>();
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      if (entry.getLevel().intValue() >= Level.WARNING.intValue()) {
        errors.add(entry.getLevel() + " " + entry.getMessage());
      }
    }
    return errors;
  }

  /**
   * A request the browser started: its URL, the URL of the document that made it, and why the browser
   * stopped it before it went out ({@code csp}, ...), or null.
   */
  record Request(String id, String url, String document, String blockedReason) {}

  /**
   * Every request the browser has started so far (the network layer's {@code Network.requestWillBeSent}),
   * with the reason it was blocked if it was ({@code Network.loadingFailed}).
   */
  List<Request> requests() {
    for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
      try {
        JsonNode message = Json.MAPPER.readTree(entry.getMessage()).path("message");
        JsonNode params = message.path("params");
        switch (message.path("method").asText()) {
          case "Network.requestWillBeSent" -> requests.add(new Request(params.path("requestId").asText(),
              params.path("request").path("url").asText(), params.path("documentURL").asText(), null));
          case "Network.loadingFailed" -> {
            if (params.hasNonNull("blockedReason")) {
              String id = params.path("requestId").asText();
              requests.replaceAll(r -> r.id().equals(id)
                  ? new Request(r.id(), r.url(), r.document(), params.path("blockedReason").asText()) : r);
            }
          }
          default -> { }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temporary profile left behind is harmless
      }
    }
  }
}
