package dev.baton.spring;

import dev.baton.ConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A rejected Baton configuration, told as Spring Boot tells a failed start: each problem, and what to do. */
class BatonConfigFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
    StringBuilder description = new StringBuilder("Baton's configuration was rejected:\n");
    for (String problem : cause.problems()) {
      description.append("\n    ").append(problem);
    }
    return new FailureAnalysis(description.toString(),
        "Fix the baton.* properties, or the file baton.config names. Keys follow Baton's YAML configuration"
            + " (models, router); keys and endpoints left out come from the providers' environment variables"
            + " (OPENAI_API_KEY, ANTHROPIC_API_KEY, OLLAMA_HOST, ...).", cause);
  }
}
