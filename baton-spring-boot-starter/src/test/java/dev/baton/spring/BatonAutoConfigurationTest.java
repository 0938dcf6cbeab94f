package dev.baton.spring;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static dev.baton.testkit.OpenAiFixtures.error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Baton;
import dev.baton.BatonEvent;
import dev.baton.BatonListener;
import dev.baton.ConfigException;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.OllamaFixtures;
import dev.baton.testkit.Reply;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration, context by context: properties, the file, overrides, and missing libraries. */
class BatonAutoConfigurationTest {

  private FakeUpstream primary;
  private FakeUpstream backup;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(BatonAutoConfiguration.class, BatonSpringAiAutoConfiguration.class,
          BatonMetricsAutoConfiguration.class, BatonHealthAutoConfiguration.class));

  @BeforeEach
  void start() {
    primary = FakeUpstream.start();
    backup = FakeUpstream.start();
  }

  @AfterEach
  void stop() {
    primary.close();
    backup.close();
  }

  /** Two OpenAI-compatible models on the fakes, smart falling back to fast. */
  private String[] twoModels(String... more) {
    List<String> properties = new java.util.ArrayList<>(List.of(
        "baton.models[0].name=smart", "baton.models[0].provider=openai-compatible",
        "baton.models[0].model=smart-model", "baton.models[0].api_base=" + primary.url("/v1"),
        "baton.models[0].api-key=sk-smart",
        "baton.models[1].name=fast", "baton.models[1].provider=openai-compatible",
        "baton.models[1].model=fast-model", "baton.models[1].apiBase=" + backup.url("/v1"),
        "baton.models[1].api_key=sk-fast",
        "baton.router.fallbacks.smart=fast", "baton.router.retries=0"));
    properties.addAll(List.of(more));
    return properties.toArray(String[]::new);
  }

  @Test
  void createsNothingWithoutBatonConfiguration() {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean(Baton.class);
      assertThat(context).doesNotHaveBean(ChatModel.class);
      assertThat(context).doesNotHaveBean("batonHealthIndicator");
    });
  }

  @Test
  void buildsBatonFromTheYamlKeysUnderBaton() {
    primary.always(Reply.json(503, error("The server is overloaded.", "server_error", null)));
    backup.always(Reply.json(200, chatCompletion("fast-model", "From the fast model.")));
    runner.withPropertyValues(twoModels("baton.router.strategy=least-busy", "baton.router.cooldown.failures=5",
        "baton.router.cooldown.window=2m", "baton.models[0].timeout=25s", "baton.models[0].first-token-timeout=5s"))
        .run(context -> {
          Baton baton = context.getBean(Baton.class);

          assertThat(baton.models()).containsExactly("smart", "fast");
          assertThat(baton.config().router().fallbacks()).containsEntry("smart", List.of("fast"));
          assertThat(baton.config().router().strategy()).isEqualTo("least-busy");
          assertThat(baton.config().router().cooldown().failures()).isEqualTo(5);
          assertThat(baton.config().router().cooldown().window()).hasMinutes(2);
          assertThat(baton.config().models().get(0).timeout()).hasSeconds(25);
          assertThat(baton.config().models().get(0).firstTokenTimeout()).hasSeconds(5);
          assertThat(baton.chat("Hello").text()).isEqualTo("From the fast model.");
          assertThat(primary.lastRequest().header("authorization")).isEqualTo("Bearer sk-smart");
          assertThat(backup.lastRequest().header("authorization")).isEqualTo("Bearer sk-fast");
        });
  }

  @Test
  void providerSlashModelStringsFallBackInOrderWithKeysFromSpringsEnvironment() {
    primary.always(Reply.json(429, error("Rate limit reached", "requests", "rate_limit_exceeded"))
        .header("Retry-After", "20"));
    backup.always(Reply.json(200, OllamaFixtures.chatAnswer("From the local model.")));
    runner.withPropertyValues("baton.models=openai/gpt-4o, ollama/llama3.2",
            "OPENAI_API_KEY=sk-from-properties", "OPENAI_BASE_URL=" + primary.url("/v1"), "OLLAMA_HOST=" + backup.url())
        .run(context -> {
          assertThat(context).hasNotFailed();
          Baton baton = context.getBean(Baton.class);

          assertThat(baton.models()).containsExactly("openai/gpt-4o", "ollama/llama3.2");
          assertThat(baton.chat("Hello").text()).isEqualTo("From the local model.");
          assertThat(primary.lastRequest().header("authorization")).isEqualTo("Bearer sk-from-properties");
        });
  }

  @Test
  void readsTheFileBatonConfigNamesFromTheClasspath() {
    primary.always(Reply.json(200, chatCompletion("smart-model", "From the file's model.")));
    runner.withPropertyValues("baton.config=classpath:baton-test.yaml", "FAKE_BASE_URL=" + primary.url())
        .run(context -> {
          Baton baton = context.getBean(Baton.class);

          assertThat(baton.models()).containsExactly("smart");
          assertThat(baton.chat("Hello").text()).isEqualTo("From the file's model.");
          assertThat(primary.lastRequest().header("authorization")).isEqualTo("Bearer sk-from-file");
        });
  }

  @Test
  void everyProblemIsNamedByItsPropertyAndTheStartFails() {
    runner.withPropertyValues(twoModels("baton.router.retries=-1", "baton.router.fallbacks.fast=nowhere",
            "baton.models[1].api_versoin=2024-10-21", "baton.routr.retries=1", "baton.router.cooldwn.failures=2"))
        .run(context -> {
          assertThat(context).hasFailed();
          ConfigException e = findCause(context.getStartupFailure(), ConfigException.class);
          assertThat(e.problems()).containsExactlyInAnyOrder(
              "baton.routr: unknown key; known keys: config, models, router, chat-model, embedding-model",
              "baton.router.cooldwn: unknown key; known keys: retries, timeout, strategy, fallbacks,"
                  + " default-fallbacks, context-window-fallbacks, content-policy-fallbacks, cooldown, max-retry-after-wait",
              "baton.models[1].api_versoin: unknown key for provider openai-compatible; its own keys are responses_api",
              "baton.router.retries: must be >= 0, was -1",
              "baton.router.fallbacks.fast[0]: the fallback 'nowhere' is not a model defined in models"
                  + " (defined: fast, smart)");
          FailureAnalysis analysis = new BatonConfigFailureAnalyzer().analyze(context.getStartupFailure());
          assertThat(analysis.getDescription()).contains("baton.router.retries: must be >= 0, was -1");
          assertThat(analysis.getAction()).contains("baton.* properties");
        });
  }

  @Test
  void providerOptionsMayBeWrittenBesideTheOtherKeysAsInTheFile() {
    runner.withPropertyValues("baton.models[0].name=eu", "baton.models[0].provider=azure",
            "baton.models[0].model=gpt-4o-eu", "baton.models[0].api_base=https://eu.openai.azure.com",
            "baton.models[0].api_key=azure-key", "baton.models[0].api_version=2024-08-01-preview")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(Baton.class).config().models().get(0).options())
              .containsEntry("api_version", "2024-08-01-preview");
        });
  }

  @Test
  void theFileAndTheModelPropertiesTogetherAreRejected() {
    runner.withPropertyValues(twoModels("baton.config=classpath:baton-test.yaml")).run(context -> {
      assertThat(context).hasFailed();
      assertThat(findCause(context.getStartupFailure(), ConfigException.class).problems()).singleElement()
          .asString().startsWith("baton.config and baton.models are both set");
    });
  }

  @Configuration
  static class OwnBaton {
    static Baton baton;

    @Bean
    Baton myBaton() {
      return baton;
    }
  }

  @Test
  void anApplicationsOwnBatonReplacesTheConfiguredOneEverywhere() {
    primary.always(Reply.json(200, chatCompletion("mine", "From my own Baton.")));
    try (Baton own = Baton.builder().model(dev.baton.config.ModelConfig.builder("mine", "openai-compatible", "mine")
        .apiBase(primary.url("/v1")).apiKey("sk-mine").build()).build()) {
      OwnBaton.baton = own;
      runner.withUserConfiguration(OwnBaton.class).withPropertyValues(twoModels()).run(context -> {
        assertThat(context).getBeans(Baton.class).hasSize(1).containsKey("myBaton");
        assertThat(context.getBean(ChatModel.class).call("Hello")).isEqualTo("From my own Baton.");
        assertThat(context).hasBean("batonHealthIndicator");
      });
    }
  }

  @Configuration
  static class OwnChatModel {
    @Bean
    ChatModel myChatModel() {
      return prompt -> {
        throw new UnsupportedOperationException("not called");
      };
    }
  }

  @Test
  void anApplicationsOwnChatModelIsKept() {
    runner.withUserConfiguration(OwnChatModel.class).withPropertyValues(twoModels()).run(context -> {
      assertThat(context).hasSingleBean(ChatModel.class);
      assertThat(context).doesNotHaveBean(BatonChatModel.class);
      assertThat(context).hasSingleBean(Baton.class);
    });
  }

  @Test
  void withoutSpringAiThereIsABatonButNoChatModel() {
    runner.withClassLoader(new FilteredClassLoader("org.springframework.ai")).withPropertyValues(twoModels())
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).hasSingleBean(Baton.class);
          assertThat(context).doesNotHaveBean("batonChatModel");
          assertThat(context).doesNotHaveBean("batonEmbeddingModel");
        });
  }

  @Test
  void withoutMicrometerOrHealthSupportThoseBeansAreLeftOut() {
    runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class, HealthIndicator.class))
        .withPropertyValues(twoModels())
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean(BatonMeters.class);
          assertThat(context).doesNotHaveBean("batonHealthIndicator");
          assertThat(context).hasSingleBean(BatonChatModel.class);
        });
  }

  @Test
  void theEmbeddingModelExistsWhenAModelIsNamedForIt() {
    runner.withPropertyValues(twoModels()).run(context -> assertThat(context).doesNotHaveBean(EmbeddingModel.class));
    runner.withPropertyValues(twoModels("baton.embedding-model=fast")).run(context -> {
      assertThat(context).hasSingleBean(BatonEmbeddingModel.class);
      assertThat(context.getBean(BatonEmbeddingModel.class).model()).isEqualTo("fast");
    });
  }

  @Test
  void theChatModelAsksForTheModelBatonChatModelNamesUnlessARequestNamesAnother() {
    primary.always(Reply.json(200, chatCompletion("smart-model", "From smart.")));
    backup.always(Reply.json(200, chatCompletion("fast-model", "From fast.")));
    runner.withPropertyValues(twoModels("baton.chat-model=fast")).run(context -> {
      ChatModel chat = context.getBean(ChatModel.class);

      String byDefault = chat.call(new Prompt("Hi", BatonChatOptions.builder().temperature(0.1).build()))
          .getResult().getOutput().getText();
      String named = chat.call(new Prompt("Hi", BatonChatOptions.builder().model("smart").build()))
          .getResult().getOutput().getText();

      assertThat(byDefault).isEqualTo("From fast.");
      assertThat(named).isEqualTo("From smart.");
      assertThat(backup.lastRequest().bodyText()).contains("\"temperature\":0.1");
    });
  }

  @Test
  void theHealthIsUpWhileAFallbackAnswersAndDownWhenNothingCan() {
    primary.always(Reply.json(503, error("The server is overloaded.", "server_error", null)));
    backup.enqueue(Reply.json(200, chatCompletion("fast-model", "ok")));
    backup.always(Reply.json(503, error("The server is overloaded.", "server_error", null)));
    runner.withPropertyValues(twoModels("baton.router.cooldown.failures=1")).run(context -> {
      HealthIndicator health = context.getBean("batonHealthIndicator", HealthIndicator.class);
      Baton baton = context.getBean(Baton.class);
      assertThat(health.health().getStatus()).isEqualTo(Status.UP);

      baton.chat("first");
      Health afterPrimaryOpened = health.health();

      assertThat(afterPrimaryOpened.getStatus()).as("smart's circuit is open but fast answers").isEqualTo(Status.UP);
      assertThat(deployment(afterPrimaryOpened, "smart")).containsEntry("circuit", "OPEN")
          .containsEntry("available", false).containsEntry("provider", "openai-compatible");
      assertThat(deployment(afterPrimaryOpened, "fast")).containsEntry("circuit", "CLOSED");

      try {
        baton.chat("second");
      } catch (dev.baton.BatonException expected) {
        // every model failed: that is the point
      }
      Health afterBothOpened = health.health();
      assertThat(afterBothOpened.getStatus()).isEqualTo(Status.DOWN);
      assertThat(afterBothOpened.getDetails().get("models")).isEqualTo(java.util.Map.of("smart", "DOWN", "fast", "DOWN"));
    });
  }

  @SuppressWarnings("unchecked")
  private static java.util.Map<String, Object> deployment(Health health, String id) {
    return (java.util.Map<String, Object>) ((java.util.Map<String, Object>) health.getDetails().get("deployments")).get(id);
  }

  @Configuration
  static class Listening {
    static final List<BatonEvent> EVENTS = new CopyOnWriteArrayList<>();

    @Bean
    BatonListener recorder() {
      return EVENTS::add;
    }
  }

  @Test
  void metersCountAttemptsAndFallbacksAndListenerBeansHearEveryEvent() {
    primary.always(Reply.json(503, error("The server is overloaded.", "server_error", null)));
    backup.always(Reply.json(200, chatCompletion("fast-model", "ok")));
    runner.withUserConfiguration(Listening.class).withPropertyValues(twoModels()).run(context -> {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      context.getBean(BatonMeters.class).bindTo(registry);

      context.getBean(Baton.class).chat("Hello");

      assertThat(registry.get("baton.attempts").tag("deployment", "smart").tag("outcome", "failed")
          .tag("error", "server_error").counter().count()).isEqualTo(1.0);
      assertThat(registry.get("baton.attempts").tag("deployment", "fast").tag("outcome", "succeeded")
          .counter().count()).isEqualTo(1.0);
      assertThat(registry.get("baton.fallbacks").tag("from", "smart").tag("to", "fast").counter().count())
          .isEqualTo(1.0);
      assertThat(registry.get("baton.attempt.duration").tag("deployment", "fast").timer().count()).isEqualTo(1);
      assertThat(registry.get("baton.circuit.state").tag("deployment", "smart").gauge().value()).isZero();
      assertThat(registry.get("baton.deployment.available").tag("deployment", "fast").gauge().value()).isEqualTo(1.0);
      assertThat(Listening.EVENTS).filteredOn(BatonEvent.FallingBack.class::isInstance).hasSize(1);
    });
  }

  private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + failure);
  }
}
