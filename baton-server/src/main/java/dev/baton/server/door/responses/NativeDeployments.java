package dev.baton.server.door.responses;

import dev.baton.config.BatonConfig;
import dev.baton.config.ModelConfig;
import dev.baton.config.RouterConfig;
import dev.baton.provider.openai.OpenAiFactory;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which public models can reach a deployment that speaks the Responses API natively
 * ({@code responses_api: native}), in their own group or through any of their fallbacks: a request that
 * only such a deployment can take is refused at once, with no upstream call, when its model cannot reach
 * one.
 */
final class NativeDeployments {

  private final Set<String> withNative = new HashSet<>();
  private final RouterConfig router;
  /** The answer for each configured model asked for with its configured fallbacks: worked out once. */
  private final Map<String, Boolean> byModel = new HashMap<>();

  NativeDeployments(BatonConfig config) {
    this.router = config.router();
    for (ModelConfig model : config.models()) {
      if (model.option(OpenAiFactory.RESPONSES_API) != null && OpenAiFactory.nativeResponses(model)) {
        withNative.add(model.name());
      }
    }
    for (String model : config.modelNames()) {
      byModel.put(model, search(model, null));
    }
  }

  /** Whether a request for {@code model}, with its own {@code fallbacks} (or null), may reach one. */
  boolean reachable(String model, @Nullable List<String> fallbacks) {
    Boolean known = fallbacks == null ? byModel.get(model) : null;
    return known != null ? known : search(model, fallbacks);
  }

  private boolean search(String model, @Nullable List<String> fallbacks) {
    if (withNative.isEmpty()) {
      return false;
    }
    Deque<String> next = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    next.add(model);
    if (fallbacks != null) {
      next.addAll(fallbacks);
    }
    while (!next.isEmpty()) {
      String name = next.poll();
      if (!seen.add(name)) {
        continue;
      }
      if (withNative.contains(name)) {
        return true;
      }
      if (!name.equals(model) || fallbacks == null) {
        next.addAll(router.fallbacks().getOrDefault(name, router.defaultFallbacks()));
      }
      next.addAll(router.contextWindowFallbacks().getOrDefault(name, List.of()));
      next.addAll(router.contentPolicyFallbacks().getOrDefault(name, List.of()));
    }
    return false;
  }
}
