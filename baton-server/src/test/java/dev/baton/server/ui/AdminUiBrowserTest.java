package dev.baton.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin UI (contract section 11) in a real headless Chromium, against a real gateway with a database
 * and fake upstreams that fail as the example does. The cases run in order on one browser, as an
 * administrator would: sign in (after a wrong key), watch a fallback arrive live on Requests, create and
 * revoke a key through the form, see hostile names as text, visit every page with no console error and
 * no request leaving the gateway's origin (photographing each for the README), check the CSP, sign out.
 *
 * <p>The screenshots go to the repository's {@code docs/ui-*.png}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminUiBrowserTest {

  @TempDir
  static Path dataDir;

  static UiGateway gateway;
  static Chromium chromium;
  static ChromeDriver driver;
  static WebDriverWait wait;

  @BeforeAll
  static void start() {
    gateway = new UiGateway(dataDir);
    chromium = Chromium.start();
    driver = chromium.driver;
    wait = new WebDriverWait(driver, Duration.ofSeconds(15));
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  // Finding things as a person would: by the words on the screen.

  static WebElement field(String label) {
    WebElement l = driver.findElement(By.xpath("//label[normalize-space()='" + label + "']"));
    return driver.findElement(By.id(l.getAttribute("for")));
  }

  static By button(String text) {
    return By.xpath("//button[normalize-space()='" + text + "']");
  }

  static void click(By by) {
    wait.until(ExpectedConditions.elementToBeClickable(by)).click();
  }

  static void go(String page) {
    click(By.linkText(page));
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#page h1"), page));
  }

  static void signIn() {
    driver.get(gateway.url("/ui"));
    wait.until(d -> d.findElement(By.id("sign-in")).isDisplayed() || d.findElement(By.id("nav")).isDisplayed());
    if (driver.findElement(By.id("sign-in")).isDisplayed()) {
      field("Master key").sendKeys(UiGateway.MASTER_KEY);
      click(button("Sign in"));
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    }
  }

  static String normalized(String text) {
    return text.replaceAll("\\s+", " ").strip();
  }

  @Test
  @Order(1)
  void aWrongKeyIsRefusedAndTheMasterKeySignsInWithAnHttpOnlyStrictCookie() {
    driver.get(gateway.url("/ui"));
    WebElement key = wait.until(d -> field("Master key"));
    assertThat(key.getAttribute("type")).isEqualTo("password");
    assertThat(driver.findElement(By.id("nav")).isDisplayed()).as("navigation before signing in").isFalse();

    key.sendKeys("sk-not-the-master-key");
    click(button("Sign in"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "not the gateway's master key"));
    assertThat(driver.manage().getCookieNamed(Sessions.COOKIE)).as("a cookie after a wrong key").isNull();
    assertThat(chromium.consoleErrors()).as("the only console message is the refused sign-in's 401")
        .allMatch(e -> e.contains("/ui/session") && e.contains("401"));

    field("Master key").clear();
    field("Master key").sendKeys(UiGateway.MASTER_KEY);
    click(button("Sign in"));
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#page h1"), "Overview"));

    for (String page : List.of("Overview", "Models", "Keys", "Requests", "Spend")) {
      assertThat(driver.findElement(By.linkText(page)).isDisplayed()).as("navigation link " + page).isTrue();
    }
    Cookie cookie = driver.manage().getCookieNamed(Sessions.COOKIE);
    assertThat(cookie).as("the session cookie").isNotNull();
    assertThat(cookie.isHttpOnly()).as("HttpOnly").isTrue();
    assertThat(cookie.getSameSite()).isEqualTo("Strict");
    assertThat(cookie.getExpiry()).as("an expiring cookie").isNotNull()
        .isBefore(Instant.now().plus(Sessions.LIFETIME).plusSeconds(60));
    assertThat(cookie.getValue()).doesNotContain(UiGateway.MASTER_KEY).hasSizeGreaterThanOrEqualTo(43);
    assertThat(driver.executeScript("return document.cookie")).as("the cookie is out of the script's reach")
        .isEqualTo("");
    assertThat(driver.executeScript("return localStorage.length + sessionStorage.length")).isEqualTo(0L);
    assertThat(driver.getCurrentUrl()).doesNotContain(UiGateway.MASTER_KEY);
    assertThat(driver.getPageSource()).doesNotContain(UiGateway.MASTER_KEY);
  }

  @Test
  @Order(2)
  void aFallbackAppearsLiveOnRequestsWithItsWholeTrail() throws Exception {
    signIn();
    go("Requests");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".live-dot[data-state='open']")));
    driver.executeScript("window.stillThisPage = true");

    HttpResponse<String> answer = gateway.chat(UiGateway.MASTER_KEY, "gpt-4o");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.headers().firstValue("x-baton-model")).hasValue("llama");
    String requestId = answer.headers().firstValue("x-request-id").orElseThrow();

    WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("tr[data-request-id='" + requestId + "']")));
    assertThat(driver.executeScript("return window.stillThisPage")).as("arrived without a reload").isEqualTo(true);
    assertThat(normalized(row.findElement(By.cssSelector(".trail summary")).getText()))
        .isEqualTo("gpt-4o 503 → claude 429 → llama answered");
    assertThat(row.findElement(By.cssSelector(".badge")).getText()).isEqualTo("200");
    assertThat(row.getText()).contains("master key");

    row.findElement(By.cssSelector(".trail summary")).click();
    String reasons = row.findElement(By.cssSelector(".attempts")).getText();
    assertThat(reasons).contains("gpt-4o — server error: 503", "The server is overloaded")
        .contains("claude — rate limited: 429", "Rate limit reached for requests").contains("llama — success");
  }

  @Test
  @Order(3)
  void aKeyIsCreatedThroughTheFormShownOnceThenRevokedAndRefused() throws Exception {
    signIn();
    go("Keys");
    click(button("Create key"));
    field("Name").sendKeys("made in the UI");
    field("Models").sendKeys("llama, claude");
    field("Budget (USD)").sendKeys("5");
    field("RPM").sendKeys("60");
    click(button("Create"));

    String secret = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-key-secret"))).getText();
    assertThat(secret).startsWith("sk-baton-");
    JsonNode made = gateway.admin("GET", "/admin/keys", null).path("data").get(0);
    assertThat(made.path("name").asText()).isEqualTo("made in the UI");
    assertThat(made.path("models").toString()).isEqualTo("[\"llama\",\"claude\"]");
    assertThat(made.path("max_budget_usd").asDouble()).isEqualTo(5.0);
    assertThat(made.path("rpm").asLong()).isEqualTo(60);
    assertThat(gateway.chat(secret, "llama").statusCode()).as("the new key works").isEqualTo(200);

    click(button("Done"));
    assertThat(driver.getPageSource()).as("the secret once dismissed").doesNotContain(secret);
    driver.navigate().refresh();
    WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("tr[data-key-id='" + made.path("id").asText() + "']")));
    assertThat(row.getText()).contains("made in the UI", made.path("key_prefix").asText(), "$5.00", "60")
        .doesNotContain(secret);
    assertThat(driver.getPageSource()).as("the secret after a reload").doesNotContain(secret);

    row.findElement(button("Revoke")).click();
    wait.until(ExpectedConditions.stalenessOf(row));
    assertThat(driver.findElements(By.cssSelector("tr[data-key-id='" + made.path("id").asText() + "']"))).isEmpty();
    HttpResponse<String> refused = gateway.chat(secret, "llama");
    assertThat(refused.statusCode()).as("the revoked key on /v1").isEqualTo(401);
    assertThat(refused.body()).contains("invalid_api_key");
  }

  @Test
  @Order(4)
  void hostileNamesAreShownAsTextAndNeverRun() throws Exception {
    String teamName = "<img src=x onerror=\"window.pwned='team'\">";
    String keyName = "<script>window.pwned='key'</script><b>bold</b>";
    String teamId = gateway.admin("POST", "/admin/teams", "{\"name\":" + json(teamName) + "}").path("id").asText();
    JsonNode key = gateway.admin("POST", "/admin/keys", "{\"name\":" + json(keyName) + ",\"team_id\":\"" + teamId
        + "\"}");
    assertThat(gateway.chat(key.path("key").asText(), "llama").statusCode()).isEqualTo(200);

    signIn();
    go("Models");
    go("Keys");
    WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("tr[data-key-id='" + key.path("id").asText() + "']")));
    assertThat(row.findElement(By.cssSelector(".key-name")).getText()).isEqualTo(keyName);
    assertThat(row.findElements(By.tagName("td")).get(2).getText()).isEqualTo(teamName);
    assertThat(row.findElements(By.cssSelector("script, img, b"))).as("elements made from a name").isEmpty();

    go("Requests");
    WebElement logged = wait.until(d -> d.findElements(By.cssSelector("#request-rows tr")).stream()
        .filter(r -> r.getText().contains("<script>")).findFirst().orElse(null));
    assertThat(logged.findElements(By.tagName("td")).get(1).getText()).isEqualTo(keyName);
    assertThat(driver.findElements(By.cssSelector("#page script, #page img, #page b"))).isEmpty();
    assertThat(driver.findElement(By.id("filter-key")).getText()).contains(keyName);
    assertThat(driver.executeScript("return window.pwned")).as("a hostile name ran").isNull();
  }

  @Test
  @Order(5)
  void everyPageRendersLiveWithNoConsoleErrorAndNothingFetchedFromElsewhere() throws Exception {
    traffic();
    signIn();
    chromium.consoleErrors(); // what earlier cases left behind (a refused sign-in) is theirs
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(1360, 1000));

    go("Overview");
    wait.until(d -> !d.findElements(By.cssSelector(".tile-value")).get(0).getText().equals("—"));
    wait.until(d -> d.findElements(By.cssSelector(".chart canvas")).size() == 3);
    wait.until(d -> d.findElements(By.cssSelector(".circuit-open")).size() >= 1);
    assertThat(driver.findElement(By.cssSelector(".tiles")).getText()).contains("Requests", "Fallbacks", "p95");
    new Select(driver.findElement(By.id("window"))).selectByValue("5m");
    Thread.sleep(1000);
    screenshot("overview");

    go("Models");
    wait.until(d -> d.findElements(By.cssSelector("#page tbody tr")).size() == 3);
    String models = driver.findElement(By.cssSelector("#page table")).getText();
    assertThat(models).contains("gpt-4o", "openai-compatible", "claude-3-5-haiku", "llama3.2", "claude → llama");
    assertThat(driver.findElements(By.cssSelector("#page .badge")))
        .extracting(WebElement::getText).allMatch(s -> List.of("closed", "open", "half-open").contains(s));
    screenshot("models");

    go("Keys");
    wait.until(d -> d.findElements(By.cssSelector("tr[data-key-id]")).size() >= 3);
    screenshot("keys");

    go("Requests");
    wait.until(d -> d.findElements(By.cssSelector("#request-rows .step")).size() > 10);
    Thread.sleep(3500); // the new rows' highlight fades before the picture
    screenshot("requests");
    new Select(driver.findElement(By.id("filter-model"))).selectByVisibleText("claude");
    wait.until(d -> d.findElements(By.cssSelector("#request-rows tr")).stream()
        .allMatch(r -> r.findElements(By.tagName("td")).get(2).getText().equals("claude")));

    go("Spend");
    wait.until(d -> d.findElements(By.cssSelector("svg .bar")).size() >= 2);
    screenshot("spend");
    click(By.cssSelector("button[data-group='model']"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#page table"), "llama"));
    assertThat(driver.findElement(By.cssSelector("#page thead")).getText()).startsWith("Model");
    click(By.cssSelector("button[data-group='day']"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#page table"),
        java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString()));
    click(By.cssSelector("button[data-group='team']"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#page table"), "search"));

    assertThat(chromium.consoleErrors()).as("console errors and warnings").isEmpty();
    List<Chromium.Request> requests = chromium.requests();
    assertThat(requests).as("requests the page's policy had to stop").allMatch(r -> r.blockedReason() == null);
    String origin = gateway.origin() + "/";
    List<String> pages = requests.stream().filter(r -> r.document().startsWith(origin)).map(Chromium.Request::url)
        .toList();
    assertThat(pages).as("the UI's requests").isNotEmpty()
        .anyMatch(u -> u.contains("/admin/events")).anyMatch(u -> u.contains("/ui/assets/uPlot.min.js"));
    assertThat(pages).as("the UI's requests that left the gateway's origin (data: is the date picker's icon)")
        .allMatch(u -> u.startsWith(origin) || u.startsWith("data:"));
    assertThat(requests).as("anything the browser sent over the network elsewhere (its own chrome:// pages aside)")
        .filteredOn(r -> !r.url().startsWith("chrome://")).extracting(Chromium.Request::url)
        .allMatch(u -> u.startsWith(origin) || u.startsWith("data:"));
  }

  @Test
  @Order(6)
  void theContentSecurityPolicyForbidsInlineScriptAndMarkupFromStrings() throws Exception {
    HttpResponse<String> page = gateway.send("GET", "/ui", null);
    String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(policy).isEqualTo(UiDoor.CONTENT_SECURITY_POLICY)
        .contains("script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
        .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:", "*");
    assertThat(page.body()).doesNotContain("<script>", "<style", "style=").doesNotContainPattern(" on[a-z]+=");

    signIn();
    chromium.consoleErrors();
    // What an injected name would try: an inline script, an inline event handler, markup from a string.
    driver.executeScript("""
        const s = document.createElement('script');
        s.append(document.createTextNode('window.ran = "inline script"'));
        document.body.append(s);
        """);
    assertThatThrownBy(() -> driver.executeScript(
        "document.body.firstElementChild.setAttribute('onclick', 'window.ran = 1')"))
        .as("Trusted Types refuse a handler from a string").isInstanceOf(JavascriptException.class)
        .hasMessageContaining("TrustedScript");
    assertThatThrownBy(() -> driver.executeScript("document.body.innerHTML = '<b>x</b>'"))
        .as("Trusted Types refuse markup from a string").isInstanceOf(JavascriptException.class)
        .hasMessageContaining("TrustedHTML");
    // And what a page that is not the gateway's would need: an image or a call from elsewhere.
    driver.executeScript("new Image().src = 'http://192.0.2.1/pixel.png';"
        + " fetch('http://192.0.2.1/steal').catch(() => {});");
    Thread.sleep(300);
    assertThat(driver.executeScript("return window.ran")).as("a script the policy forbids ran").isNull();
    List<String> console = chromium.consoleErrors();
    assertThat(console).as("the browser's reports of what it refused")
        .anyMatch(e -> e.contains("requires 'TrustedScript'") && e.contains("will not be executed"))
        .anyMatch(e -> e.contains("Content Security Policy") && e.contains("img-src 'self'"))
        .anyMatch(e -> e.contains("Content Security Policy") && e.contains("connect-src 'self'"));
    assertThat(chromium.requests()).as("what went towards elsewhere was stopped by the policy, unsent")
        .filteredOn(r -> r.url().contains("192.0.2.1")).isNotEmpty().allMatch(r -> "csp".equals(r.blockedReason()));
  }

  @Test
  @Order(7)
  void signingOutEndsTheSessionOnTheServer() throws Exception {
    signIn();
    String session = driver.manage().getCookieNamed(Sessions.COOKIE).getValue();
    assertThat(gateway.send("GET", "/admin/keys", null, "Cookie", Sessions.COOKIE + "=" + session).statusCode())
        .isEqualTo(200);

    click(button("Sign out"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
    assertThat(driver.manage().getCookieNamed(Sessions.COOKIE)).isNull();
    assertThat(driver.findElement(By.id("nav")).isDisplayed()).isFalse();
    HttpResponse<String> after = gateway.send("GET", "/admin/keys", null, "Cookie", Sessions.COOKIE + "=" + session);
    assertThat(after.statusCode()).as("the old session after signing out").isEqualTo(401);
    assertThat(after.body()).contains("not_signed_in");
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(1360, 760));
    screenshot("signin");
  }

  @Test
  @Order(8)
  void firstPaintAndPageWeightAreMeasured() throws Exception {
    driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
    driver.get(gateway.url("/ui"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
    Object paint = driver.executeScript(
        "const p = performance.getEntriesByName('first-contentful-paint')[0]; return p ? p.startTime : null");
    Object bytes = driver.executeScript("return performance.getEntriesByType('navigation')[0].transferSize"
        + " + performance.getEntriesByType('resource').reduce((n, r) => n + r.transferSize, 0)");
    assertThat(paint).as("first contentful paint").isNotNull();
    String figures = "first contentful paint: " + Math.round(((Number) paint).doubleValue()) + " ms; transferred: "
        + bytes + " bytes (page, script, styles, charts, icon; gzipped); files gzipped: "
        + new UiDoor(new Sessions(null, java.time.Clock.systemUTC())).pageWeight() + " bytes";
    System.out.println("admin UI, cold load: " + figures);
    Files.writeString(Path.of("target", "ui-first-paint.txt"), figures + "\n");
  }

  /** Traffic for the pages to show: keys in teams, fallbacks, rate limits, a refused model, several models. */
  static void traffic() throws Exception {
    String search = gateway.admin("POST", "/admin/teams", "{\"name\":\"search\",\"max_budget_usd\":50}")
        .path("id").asText();
    String support = gateway.admin("POST", "/admin/teams", "{\"name\":\"support\"}").path("id").asText();
    String searchKey = gateway.admin("POST", "/admin/keys", "{\"name\":\"search-api\",\"team_id\":\"" + search
        + "\",\"models\":[\"gpt-4o\",\"claude\",\"llama\"],\"max_budget_usd\":20,\"budget_duration\":\"30d\","
        + "\"rpm\":600}").path("key").asText();
    String botKey = gateway.admin("POST", "/admin/keys", "{\"name\":\"support-bot\",\"team_id\":\"" + support
        + "\",\"models\":[\"llama\"],\"tpm\":100000}").path("key").asText();
    String nightly = gateway.admin("POST", "/admin/keys", "{\"name\":\"nightly-evals\",\"max_budget_usd\":5,"
        + "\"budget_duration\":\"1d\"}").path("key").asText();
    // A few seconds of it, so the charts' one-second steps have a shape.
    for (int i = 0; i < 12; i++) {
      gateway.chat(searchKey, "gpt-4o");
      gateway.chat(botKey, "llama");
      gateway.chat(nightly, i % 2 == 0 ? "claude" : "llama");
      if (i % 3 == 0) {
        gateway.chat(botKey, "llama");
      }
      Thread.sleep(350);
    }
    gateway.chat(botKey, "gpt-4o"); // 403: not one of its models
  }

  static String json(String text) {
    return dev.baton.testkit.OpenAiFixtures.quote(text);
  }

  /** The page as it is now, into the repository's docs/ (the README shows them). */
  static void screenshot(String page) {
    Path docs = docs();
    try {
      Files.createDirectories(docs);
      Files.write(docs.resolve("ui-" + page + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code docs/} at the repository's root: the parent of this module's folder. */
  static Path docs() {
    Path module = Path.of("").toAbsolutePath();
    Path root = Files.exists(module.resolve("baton-server")) ? module : module.getParent();
    return root.resolve("docs");
  }
}
