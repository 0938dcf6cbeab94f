package dev.baton.spring;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when the application configures Baton: {@code baton.models} or {@code baton.config} is set. */
class OnBatonConfigured extends SpringBootCondition {

  private static final ConfigurationPropertyName MODELS = ConfigurationPropertyName.of("baton.models");
  private static final ConfigurationPropertyName CONFIG = ConfigurationPropertyName.of("baton.config");

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(context.getEnvironment())) {
      if (source instanceof IterableConfigurationPropertySource iterable && iterable.stream().anyMatch(name ->
          name.equals(MODELS) || name.equals(CONFIG) || MODELS.isAncestorOf(name))) {
        return ConditionOutcome.match("baton.models or baton.config is set");
      }
    }
    return ConditionOutcome.noMatch("neither baton.models nor baton.config is set");
  }
}
