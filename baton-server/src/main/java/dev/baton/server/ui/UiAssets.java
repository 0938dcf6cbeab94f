package dev.baton.server.ui;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * The admin UI's files, read from the classpath once at start and held in memory, each also gzipped and
 * named by a hash of its content: the page ({@code index.html}), its script and style, and uPlot (the
 * charts, from its WebJar). The page names each file as {@code /ui/assets/NAME?v=HASH}, so a browser may
 * keep a file for a year and still never run an old one after an upgrade.
 */
final class UiAssets {

  private static final String OWN = "dev/baton/server/ui/";
  private static final String UPLOT = "META-INF/resources/webjars/uplot/";
  private static final Pattern REFERENCE = Pattern.compile("\\{\\{asset:([A-Za-z0-9.]+)}}");

  /** One file: its type, its bytes as they are and gzipped, and a hash of them (its version and ETag). */
  record Asset(String contentType, byte[] body, byte[] gzipped, String hash) {}

  private final Map<String, Asset> assets;
  private final Asset page;

  private UiAssets(Map<String, Asset> assets, Asset page) {
    this.assets = assets;
    this.page = page;
  }

  static UiAssets load() {
    String uplot = UPLOT + webjarVersion("org.webjars.npm", "uplot") + "/dist/";
    Map<String, Asset> assets = new LinkedHashMap<>();
    assets.put("app.js", asset("text/javascript; charset=utf-8", read(OWN + "app.js")));
    assets.put("app.css", asset("text/css; charset=utf-8", read(OWN + "app.css")));
    assets.put("favicon.svg", asset("image/svg+xml", read(OWN + "favicon.svg")));
    assets.put("uPlot.min.js", asset("text/javascript; charset=utf-8", read(uplot + "uPlot.iife.min.js")));
    assets.put("uPlot.min.css", asset("text/css; charset=utf-8", read(uplot + "uPlot.min.css")));
    String html = new String(read(OWN + "index.html"), StandardCharsets.UTF_8);
    Matcher m = REFERENCE.matcher(html);
    StringBuilder page = new StringBuilder();
    while (m.find()) {
      Asset asset = assets.get(m.group(1));
      if (asset == null) {
        throw new IllegalStateException("index.html names an asset that is not served: " + m.group(1));
      }
      m.appendReplacement(page, "/ui/assets/" + m.group(1) + "?v=" + asset.hash());
    }
    m.appendTail(page);
    return new UiAssets(Map.copyOf(assets), asset("text/html; charset=utf-8", page.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /** The page itself. */
  Asset page() {
    return page;
  }

  /** A file under {@code /ui/assets/}, or null. */
  @Nullable Asset asset(String name) {
    return assets.get(name);
  }

  /** What the page and everything it loads weigh gzipped, as a browser fetches them: the README's figure. */
  long gzippedWeight() {
    return page.gzipped().length + assets.values().stream().mapToLong(a -> a.gzipped().length).sum();
  }

  private static Asset asset(String contentType, byte[] body) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
        gzip.write(body);
      }
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return new Asset(contentType, body, out.toByteArray(), HexFormat.of().formatHex(digest, 0, 8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  private static byte[] read(String resource) {
    try (InputStream in = UiAssets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the admin UI's file " + resource + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + resource, e);
    }
  }

  private static String webjarVersion(String group, String artifact) {
    Properties pom = new Properties();
    try (InputStream in = UiAssets.class.getClassLoader()
        .getResourceAsStream("META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the WebJar " + group + ":" + artifact + " is missing from the classpath");
      }
      pom.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pom.getProperty("version");
  }
}
