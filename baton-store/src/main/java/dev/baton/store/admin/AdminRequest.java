package dev.baton.store.admin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An {@code /admin} request, as any HTTP server hands it over.
 *
 * @param method {@code GET}, {@code POST}, {@code PATCH}, {@code DELETE}
 * @param path the path without the query, such as {@code /admin/keys/key_1}
 * @param query the query parameters, decoded; a parameter given twice is a 400
 * @param body the request body as text, or null
 */
public record AdminRequest(String method, String path, Map<String, String> query, @Nullable String body) {

  public AdminRequest {
    query = Map.copyOf(query);
  }

  /** From a raw target such as {@code /admin/spend?group_by=day&from=2026-12-01}; a bad query is a {@link BadInput}. */
  static AdminRequest of(String method, String target, @Nullable String body) {
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    Map<String, String> query = new LinkedHashMap<>();
    if (q >= 0) {
      for (String pair : target.substring(q + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        if (query.putIfAbsent(name, value) != null) {
          throw new BadInput(name, name + ": given twice");
        }
      }
    }
    return new AdminRequest(method, path, query, body);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadInput(null, "the query is not correctly percent-encoded: " + e.getMessage());
    }
  }
}
