package dev.baton.spring;

import dev.baton.Baton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * With Spring Boot's health support on the classpath, the {@code baton} health indicator (bean
 * {@code batonHealthIndicator}); {@code management.health.baton.enabled=false} turns it off.
 */
@AutoConfiguration(after = BatonAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Baton.class)
@ConditionalOnEnabledHealthIndicator("baton")
public class BatonHealthAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "batonHealthIndicator")
  public BatonHealthIndicator batonHealthIndicator(Baton baton) {
    return new BatonHealthIndicator(baton);
  }
}
