package dev.baton.spring;

import dev.baton.Baton;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * With Spring AI on the classpath, a {@link BatonChatModel} as the application's {@code ChatModel} (so
 * {@code ChatClient.Builder} uses it), and a {@link BatonEmbeddingModel} when {@code baton.embedding-model}
 * names the model to embed with. Each backs off when the application defines a bean of that type.
 */
@AutoConfiguration(after = BatonAutoConfiguration.class,
    beforeName = "org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration")
@ConditionalOnClass(ChatModel.class)
@ConditionalOnBean(Baton.class)
public class BatonSpringAiAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(ChatModel.class)
  public BatonChatModel batonChatModel(Baton baton, BatonProperties properties,
      ObjectProvider<ObservationRegistry> observations) {
    return new BatonChatModel(baton, BatonChatOptions.builder().model(properties.getChatModel()).build(),
        observations.getIfUnique(() -> ObservationRegistry.NOOP));
  }

  @Bean
  @ConditionalOnMissingBean(EmbeddingModel.class)
  @ConditionalOnProperty("baton.embedding-model")
  public BatonEmbeddingModel batonEmbeddingModel(Baton baton, BatonProperties properties,
      ObjectProvider<ObservationRegistry> observations) {
    return new BatonEmbeddingModel(baton, properties.getEmbeddingModel(),
        observations.getIfUnique(() -> ObservationRegistry.NOOP));
  }
}
