package dev.baton.spring;

import dev.baton.Baton;
import dev.baton.BatonListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ResourceLoader;

/**
 * A {@link Baton} bean from {@code baton.*} properties or the file {@code baton.config} names, when either
 * is set. Keys and endpoints come from Spring's environment (so from the process environment, or from
 * the application's own properties). Every {@link BatonListener} bean receives its events. Define a
 * {@code Baton} bean of your own to replace it.
 */
@AutoConfiguration
@EnableConfigurationProperties(BatonProperties.class)
public class BatonAutoConfiguration {

  @Bean
  @ConfigurationPropertiesBinding
  static ModelConverter batonModelConverter() {
    return new ModelConverter();
  }

  @Bean
  @ConditionalOnMissingBean
  @Conditional(OnBatonConfigured.class)
  public Baton baton(BatonProperties properties, ConfigurableEnvironment environment, ResourceLoader resources,
      ObjectProvider<BatonListener> listeners) {
    Baton.Builder builder = Baton.builder()
        .config(PropertiesConfig.read(properties, environment, resources))
        .environment(PropertiesConfig.environment(environment));
    listeners.orderedStream().forEach(builder::listener);
    return builder.build();
  }
}
