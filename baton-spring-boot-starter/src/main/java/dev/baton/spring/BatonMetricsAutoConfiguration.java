package dev.baton.spring;

import dev.baton.Baton;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** With Micrometer on the classpath, {@link BatonMeters}: Spring Boot binds it to the application's registries. */
@AutoConfiguration(after = BatonAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(Baton.class)
public class BatonMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public BatonMeters batonMeters(Baton baton) {
    return new BatonMeters(baton);
  }
}
